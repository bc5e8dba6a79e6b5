"""Stage 3b, index: Chroma collections as generations; a manifest names the one that serves.

A new generation is written in full, then the manifest is swapped atomically, so a crash or
`kill -9` mid-ingest leaves the previous generation serving. Embedded mode keeps one Chroma
folder per generation and the manifest in a JSON file; server mode keeps one collection per
generation and the manifest in the metadata of a small pointer collection.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.config import Settings
from assistant.errors import StoreUnavailableError
from assistant.ingest.roles import unit_roles
from assistant.types import Chunk

MANIFEST_VERSION = 1
POINTER = "kb-pointer"


def _client_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def slug(text: str) -> str:
    """Chroma-safe name part: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "model"


class IndexStore(ABC):
    """Where generations live and which one serves."""

    @abstractmethod
    def read_manifest(self) -> dict[str, Any] | None:
        """Return the serving generation's manifest, or None when there is no index."""

    @abstractmethod
    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Atomically make `manifest` the serving generation."""

    @abstractmethod
    def create(self, generation: str, model: str) -> Any:
        """Create an empty collection for a new generation (cosine space)."""

    @abstractmethod
    def client_for(self, manifest: dict[str, Any]) -> Any:
        """The Chroma client holding a manifest's collection."""

    def open(self, manifest: dict[str, Any]) -> Any:
        """Open the collection a manifest names."""
        return self.client_for(manifest).get_collection(manifest["collection"], embedding_function=None)

    @abstractmethod
    def prune(self, keep: set[str]) -> None:
        """Delete generations whose names are not in `keep`."""

    def version(self) -> str:
        """A cheap token that changes whenever the serving generation changes."""
        manifest = self.read_manifest()
        return manifest["generation"] if manifest else ""


class EmbeddedStore(IndexStore):
    """Chroma PersistentClient folders under data_dir/index/<generation>."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest_path = root / "CURRENT.json"

    def read_manifest(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, NotADirectoryError):
            return None
        except (json.JSONDecodeError, OSError):
            return None
        if not (self.root / data.get("generation", "?")).is_dir():
            return None
        return data

    def version(self) -> str:
        try:
            stat = self.manifest_path.stat()
        except OSError:
            return ""
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".manifest-")
        with os.fdopen(fd, "w") as fh:
            json.dump(manifest, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest_path)

    def _client(self, generation: str) -> Any:
        import chromadb

        return chromadb.PersistentClient(path=str(self.root / generation), settings=_client_settings())

    def create(self, generation: str, model: str) -> Any:
        (self.root / generation).mkdir(parents=True, exist_ok=False)
        return self._client(generation).create_collection(
            f"chunks-{slug(model)}", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    def client_for(self, manifest: dict[str, Any]) -> Any:
        return self._client(manifest["generation"])

    def prune(self, keep: set[str]) -> None:
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            if path.is_dir() and path.name.startswith("g-") and path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


class ServerStore(IndexStore):
    """Collections on a `chroma run` server: kb-<model>-<generation>, pointer in kb-pointer."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 8000
        self.ssl = parsed.scheme == "https"
        self._cached: Any = None

    def client(self) -> Any:
        import chromadb

        if self._cached is None:
            try:
                self._cached = chromadb.HttpClient(
                    host=self.host, port=self.port, ssl=self.ssl, settings=_client_settings()
                )
            except Exception as exc:  # chromadb raises plain Exceptions for connection failures
                raise StoreUnavailableError(
                    f"Cannot reach the Chroma server at {self.host}:{self.port}; is `chroma run` up?"
                ) from exc
        return self._cached

    def _pointer(self) -> Any:
        return self.client().get_or_create_collection(POINTER, embedding_function=None)

    def read_manifest(self) -> dict[str, Any] | None:
        meta = self._pointer().metadata or {}
        raw = meta.get("manifest")
        return json.loads(raw) if isinstance(raw, str) else None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self._pointer().modify(metadata={"manifest": json.dumps(manifest)})

    def create(self, generation: str, model: str) -> Any:
        return self.client().create_collection(
            f"kb-{slug(model)}-{generation}",
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    def client_for(self, manifest: dict[str, Any]) -> Any:
        return self.client()

    def prune(self, keep: set[str]) -> None:
        for col in self.client().list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith("kb-") and name != POINTER and not any(name.endswith(k) for k in keep):
                self.client().delete_collection(name)


def make_store(settings: Settings) -> IndexStore:
    """Embedded store under ASSISTANT_DATA_DIR, or a Chroma server when ASSISTANT_CHROMA_URL is set."""
    if settings.chroma_url:
        return ServerStore(settings.chroma_url)
    return EmbeddedStore(settings.index_dir)


# --- chunk records <-> Chroma rows -------------------------------------------------------------


def encode_vectors(vectors: np.ndarray) -> str:
    """Pack unit embeddings as base64 float16 (half the size; cosine ranking is unaffected)."""
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode()


def decode_vectors(blob: str, dim: int) -> np.ndarray:
    """Inverse of encode_vectors, as float32 rows of width dim."""
    raw = np.frombuffer(base64.b64decode(blob), dtype=np.float16)
    return raw.reshape(-1, dim).astype(np.float32)


def chunk_metadata(chunk: Chunk, unit_vectors: np.ndarray) -> dict[str, Any]:
    """Flatten a chunk into Chroma metadata (scalars only)."""
    return {
        "source": chunk.source,
        "title": chunk.title,
        "section": json.dumps(list(chunk.section)),
        "position": chunk.position,
        "promotional": chunk.promotional,
        "doc_hash": chunk.doc_hash,
        "publisher": chunk.publisher,
        "published": chunk.published,
        "seller_of": chunk.seller_of,
        "units": json.dumps(list(chunk.units)),
        "roles": json.dumps(list(chunk.roles)),
        "unit_emb": encode_vectors(unit_vectors),
    }


def chunk_from_row(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    """Rebuild a Chunk from a Chroma row (an index written before roles existed gets them computed)."""
    section = tuple(json.loads(str(meta["section"])))
    units = tuple(json.loads(str(meta["units"])))
    roles = tuple(json.loads(str(meta.get("roles") or "[]")))
    if len(roles) != len(units):
        roles = unit_roles(units, section, str(meta["title"]), bool(meta["promotional"]))
    return Chunk(
        id=chunk_id,
        source=str(meta["source"]),
        title=str(meta["title"]),
        section=section,
        position=int(meta["position"]),
        text=text,
        units=units,
        promotional=bool(meta["promotional"]),
        doc_hash=str(meta["doc_hash"]),
        publisher=str(meta.get("publisher", "")),
        published=str(meta.get("published", "")),
        seller_of=str(meta.get("seller_of", "")),
        roles=roles,
    )


def iter_rows(collection: Any, *, include: list[str], page: int = 2000) -> Iterator[dict[str, Any]]:
    """Yield every row of a collection, a page at a time."""
    offset = 0
    while True:
        batch = collection.get(limit=page, offset=offset, include=include)
        ids = batch["ids"]
        if not ids:
            return
        for i, cid in enumerate(ids):
            yield {key: (batch[key][i] if batch.get(key) is not None else None) for key in include} | {
                "id": cid
            }
        offset += len(ids)
