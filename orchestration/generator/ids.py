"""Unique, scrambled record ids.

Ids are sequential counters pushed through a bijective mixer on a fixed number of bits,
so they are unique by construction (no collision check, no memory) yet do not reveal
generation order: neighbouring records of one person get unrelated-looking ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class IdSpace:
    """A counter over `bits` bits, mixed by odd multiplications and xor-shifts."""

    bits: int
    mul_a: int
    mul_b: int
    xor: int
    counter: int = 0
    _mask: int = field(init=False)

    def __post_init__(self) -> None:
        self._mask = (1 << self.bits) - 1

    def next(self) -> int:
        n = self.counter
        if n > self._mask:
            raise OverflowError(f"id space of {self.bits} bits exhausted")
        self.counter = n + 1
        m = self._mask
        half = self.bits // 2
        x = (n * self.mul_a) & m
        x ^= x >> half
        x = (x * self.mul_b) & m
        x ^= x >> (half - 1)
        return x ^ self.xor


# bits per id family; wide enough for 1e6 persons with a large margin
ID_BITS: dict[str, int] = {
    "person": 0,  # persons and households are plainly sequential (ground truth only)
    "customer": 29,
    "web_order": 29,
    "page_view": 44,
    "cart_event": 44,
    "session": 44,
    "cookie": 33,
    "install": 40,
    "app_event": 44,
    "receipt": 29,
    "crm_contact": 26,
    "subscriber": 40,
    "send": 44,
    "open": 44,
    "email_click": 40,
    "unsubscribe": 40,
    "sms_subscriber": 29,
    "sms_message": 44,
    "sms_click": 40,
    "mp_item": 44,
    "mp_order": 40,
    "mp_buyer": 40,
    "ticket": 23,
    "member": 26,
    "card": 33,
    "points": 33,
    "response": 40,
    "wifi_login": 33,
    "mac": 44,
}


class Ids:
    """All id spaces of one generation run (seeded, created once per run)."""

    def __init__(self, seed: int) -> None:
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0x1D5]))
        self._spaces: dict[str, IdSpace] = {}
        for name, bits in ID_BITS.items():
            if bits == 0:
                continue
            a, b, x = (int(v) for v in rng.integers(0, 1 << (bits - 1), size=3))
            self._spaces[name] = IdSpace(bits, 2 * a + 1, 2 * b + 1, x)

    def next(self, family: str) -> int:
        return self._spaces[family].next()
