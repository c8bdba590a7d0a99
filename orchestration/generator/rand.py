"""Fast scalar random draws served from numpy `Generator` blocks.

A numpy call per scalar costs microseconds; the per-person stories need millions of
scalars. `Rand` draws uniforms, normals and bytes from a seeded `numpy.random.Generator`
in blocks and hands them out one at a time from Python lists, so a draw costs about as
much as a list lookup while the stream stays fully determined by the seed.
"""

from __future__ import annotations

import base64
import math
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")

_BLOCK = 16_384
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_ALNUM_TABLE = bytes(ord(_ALNUM[b % 36]) for b in range(256))
_UPPER_TABLE = bytes(ord(_UPPER_ALNUM[b % 36]) for b in range(256))
_DIGIT_TABLE = bytes(ord("0123456789"[b % 10]) for b in range(256))
_HEX = "0123456789abcdef"
_HEX_TABLE = bytes(ord(_HEX[b % 16]) for b in range(256))


class Weighted(Generic[T]):
    """Items with weights, prepared once for repeated weighted choice."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("Weighted needs as many weights as items, at least one")
        self.items = list(items)
        self.cum = list(accumulate(float(w) for w in weights))
        self.total = self.cum[-1]


class Rand:
    """Buffered scalar draws from one seeded numpy Generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._u: list[float] = []
        self._ui = 0
        self._n: list[float] = []
        self._ni = 0
        self._b = b""
        self._bi = 0

    # -- primitives -------------------------------------------------------------
    def u(self) -> float:
        """Uniform in [0, 1)."""
        i = self._ui
        if i >= len(self._u):
            self._u = self.rng.random(_BLOCK).tolist()
            i = 0
        self._ui = i + 1
        return self._u[i]

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        i = self._ni
        if i >= len(self._n):
            self._n = self.rng.standard_normal(_BLOCK).tolist()
            i = 0
        self._ni = i + 1
        return mean + sd * self._n[i]

    def bytes(self, n: int) -> bytes:
        i = self._bi
        if i + n > len(self._b):
            self._b = self.rng.bytes(max(_BLOCK, n))
            i = 0
        self._bi = i + n
        return self._b[i : i + n]

    # -- derived ----------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.u() < p

    def below(self, n: int) -> int:
        """Integer in [0, n)."""
        return int(self.u() * n)

    def between(self, lo: int, hi: int) -> int:
        """Integer in [lo, hi] inclusive."""
        return lo + int(self.u() * (hi - lo + 1))

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.u()

    def choice(self, seq: Sequence[T]) -> T:
        return seq[int(self.u() * len(seq))]

    def weighted(self, w: Weighted[T]) -> T:
        return w.items[bisect_right(w.cum, self.u() * w.total)]

    def sample(self, seq: Sequence[T], k: int) -> list[T]:
        """k distinct items (k <= len(seq)), order random."""
        pool = list(seq)
        out = []
        for _ in range(min(k, len(pool))):
            j = int(self.u() * len(pool))
            pool[j], pool[-1] = pool[-1], pool[j]
            out.append(pool.pop())
        return out

    def expo(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def poisson(self, lam: float) -> int:
        """Poisson count (Knuth for small means, rounded normal above 30)."""
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.normal(lam, math.sqrt(lam))))
        limit = math.exp(-lam)
        k = 0
        p = self.u()
        while p > limit:
            k += 1
            p *= self.u()
        return k

    def lognormal(self, mu: float, sigma: float) -> float:
        return math.exp(self.normal(mu, sigma))

    # -- tokens -----------------------------------------------------------------
    def alnum(self, n: int) -> str:
        return self.bytes(n).translate(_ALNUM_TABLE).decode("ascii")

    def upper_alnum(self, n: int) -> str:
        return self.bytes(n).translate(_UPPER_TABLE).decode("ascii")

    def digits(self, n: int) -> str:
        return self.bytes(n).translate(_DIGIT_TABLE).decode("ascii")

    def hex(self, n: int) -> str:
        return self.bytes(n).translate(_HEX_TABLE).decode("ascii")

    def b64(self, n_bytes: int) -> str:
        return base64.urlsafe_b64encode(self.bytes(n_bytes)).decode("ascii").rstrip("=")

    def uuid(self, upper: bool = False) -> str:
        h = self.bytes(16).hex()
        h = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"
        return h.upper() if upper else h


def child_rng(seed: int, *path: int) -> np.random.Generator:
    """An independent Generator for (seed, *path): same inputs, same stream."""
    return np.random.default_rng(np.random.SeedSequence([seed, *path]))
