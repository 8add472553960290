"""Capped exponential back-off with equal jitter.

Why jitter: after a head-office outage hundreds of counters come back at once; without
randomness they would retry in lock-step and knock the server over again
("thundering herd"). Jitter spreads them over [delay/2, delay).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_seconds: float = 1.0
    cap_seconds: float = 300.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self) -> float:
        """Record one more failure and return how long to wait before the next try."""
        self.failures += 1
        ceiling = min(self.cap_seconds, self.base_seconds * (2 ** min(self.failures - 1, 30)))
        # "equal jitter": never retry instantly, never all at the same moment
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0
