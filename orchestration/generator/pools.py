"""Pools of names, streets and places drawn once from Faker (seeded), per locale.

Faker is slow per call and its name lists are flat; the pools are drawn once per run
and then sampled with the run's numpy-backed `Rand`. Names get a Zipf-like weight by
rank so that common names are common (many Müllers, few Ziegenbalgs), which is what
makes name-only matching produce false positives in real data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from faker import Faker

from orchestration.generator.mix import LOCALES
from orchestration.generator.rand import Weighted

_FIRST_DRAWS = 2500
_LAST_DRAWS = 5000
_STREET_DRAWS = 800
_PLACE_DRAWS = 900


@dataclass(frozen=True)
class LocalePool:
    locale: str
    country: str
    female: Weighted[str]
    male: Weighted[str]
    last: Weighted[str]
    streets: list[str]
    places: list[tuple[str, str]]


_MIGRANT_SHARE = 0.15  # share of last names drawn from the other locales' pools


def _ranked(values: list[str]) -> list[str]:
    counts = Counter(values)
    return sorted(counts, key=lambda v: (-counts[v], v))


def _zipf_weights(n: int, total: float = 1.0) -> list[float]:
    raw = [1.0 / (rank + 20) ** 0.6 for rank in range(n)]
    s = sum(raw)
    return [total * w / s for w in raw]


def _zipf(values: list[str]) -> Weighted[str]:
    ranked = _ranked(values)
    return Weighted(ranked, _zipf_weights(len(ranked)))


def _mixed_last_names(own: list[str], others: list[str]) -> Weighted[str]:
    """Mostly the locale's own names, some from everywhere else (a mixed society)."""
    ranked = _ranked(own)
    foreign = sorted(set(others) - set(ranked))
    weights = _zipf_weights(len(ranked), 1.0 - _MIGRANT_SHARE)
    if foreign:
        weights += _zipf_weights(len(foreign), _MIGRANT_SHARE)
    return Weighted(ranked + foreign, weights)


def _clean(text: str) -> str:
    return " ".join(text.split())


def build_pools(seed: int) -> dict[str, LocalePool]:
    """One `LocalePool` per locale in `LOCALES`, determined by `seed`."""
    drawn: dict[str, tuple[str, list[str], list[str], list[str], list[str], list]] = {}
    for i, (locale, (_, country)) in enumerate(LOCALES.items()):
        fake = Faker(locale)
        fake.seed_instance(seed * 1000 + i)
        female = [_clean(fake.first_name_female()) for _ in range(_FIRST_DRAWS)]
        male = [_clean(fake.first_name_male()) for _ in range(_FIRST_DRAWS)]
        last = [_clean(fake.last_name()) for _ in range(_LAST_DRAWS)]
        streets = sorted({_clean(fake.street_name()) for _ in range(_STREET_DRAWS)})
        places = sorted(
            {(_clean(fake.postcode()), _clean(fake.city())) for _ in range(_PLACE_DRAWS)}
        )
        drawn[locale] = (country, female, male, last, streets, places)
    pools: dict[str, LocalePool] = {}
    for locale, (country, female, male, last, streets, places) in drawn.items():
        others = [n for loc, d in drawn.items() if loc != locale for n in d[3]]
        pools[locale] = LocalePool(
            locale=locale,
            country=country,
            female=_zipf(female),
            male=_zipf(male),
            last=_mixed_last_names(last, others),
            streets=streets,
            places=places,
        )
    return pools
