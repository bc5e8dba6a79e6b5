"""Index stage: build the embedder named by the settings (a string key; unknown keys list the choices)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from assistant.errors import ConfigError
from assistant.index.embedder import (
    BUNDLED,
    HASH,
    HASH_SLOW,
    Embedder,
    HashEmbedder,
    bundled_model_path,
    model_label,
)


@lru_cache(maxsize=4)
def make_embedder(model: str, backend: str = "torch", cache_dir: Path | None = None) -> Embedder:
    """Build (once per process) the embedder named by `model` and `backend`."""
    if model == HASH:
        return HashEmbedder()
    if model == HASH_SLOW:
        return HashEmbedder(delay_s=1.0)
    path = bundled_model_path() if model == BUNDLED else model
    if backend == "torch":
        from assistant.index.sbert import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(path, model_label(model))
    if backend == "onnx":
        from assistant.index.onnx import OnnxEmbedder

        if not os.path.isdir(path):
            raise ConfigError(
                f"ASSISTANT_EMBEDDING_BACKEND=onnx needs a local model folder; {model!r} is not one"
            )
        onnx: Embedder = OnnxEmbedder(path, model_label(model), cache_dir=cache_dir)
        return onnx
    raise ConfigError(f"Unknown ASSISTANT_EMBEDDING_BACKEND {backend!r}; choose one of: torch, onnx")
