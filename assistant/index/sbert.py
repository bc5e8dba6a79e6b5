"""Index stage: the sentence-transformers (torch) embedding backend."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

from assistant.errors import ConfigError
from assistant.index.embedder import Embedder


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
