"""Per-client rate limit for the public page: a friendly message instead of an endless queue."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque


class RateLimiter:
    """At most `per_minute` requests per client in any 60-second window (0 = unlimited).

    Clients are keyed by a salted hash of their address, kept in memory only, never logged.
    """

    def __init__(self, per_minute: int, *, window_s: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._salt = hashlib.sha256(str(time.time_ns()).encode()).digest()

    def key(self, client: str) -> str:
        """Opaque key for a client address."""
        return hashlib.sha256(self._salt + client.encode()).hexdigest()[:16]

    def allow(self, client: str) -> bool:
        """Record a request; False when the client is over its limit."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic()
        key = self.key(client)
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients so memory stays bounded
                for k in [k for k, v in self._hits.items() if not v or now - v[-1] > self.window_s][:5000]:
                    del self._hits[k]
            return True
