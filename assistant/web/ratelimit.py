"""Per-client rate limit for every public door (page, Gradio API, REST): one instance per app process."""

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
        return self.check(client) == 0.0

    def check(self, client: str) -> float:
        """Record a request: 0.0 when allowed, else the seconds until the client may try again."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic()
        key = self.key(client)
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(self.window_s - (now - hits[0]), 0.001)
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients so memory stays bounded
                for k in [k for k, v in self._hits.items() if not v or now - v[-1] > self.window_s][:5000]:
                    del self._hits[k]
            return 0.0
