"""The generated period and when things happen in it.

All instants are integer seconds since the Unix epoch (UTC), all dates integer days
since 1970-01-01. The period is fixed (never `now()`), so output depends only on the
seed. Day weights give the year its shape (Black Friday, Christmas, January and
summer sales, Sunday store closing); hour weights give the day its shape.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from itertools import accumulate
from zoneinfo import ZoneInfo

from orchestration.generator.rand import Rand

START_DATE = dt.date(2024, 6, 1)
END_DATE = dt.date(2026, 10, 31)  # reference end date, inclusive
DAY = 86_400
EPOCH = dt.date(1970, 1, 1)
START_DAY = (START_DATE - EPOCH).days
END_DAY = (END_DATE - EPOCH).days
START_TS = START_DAY * DAY
END_TS = (END_DAY + 1) * DAY - 1
N_DAYS = END_DAY - START_DAY + 1
BERLIN = ZoneInfo("Europe/Berlin")

# German public holidays with closed stores inside the period (nationwide ones)
_HOLIDAYS = {
    dt.date(2024, 10, 3),
    dt.date(2024, 12, 25),
    dt.date(2024, 12, 26),
    dt.date(2025, 1, 1),
    dt.date(2025, 4, 18),
    dt.date(2025, 4, 21),
    dt.date(2025, 5, 1),
    dt.date(2025, 5, 29),
    dt.date(2025, 6, 9),
    dt.date(2025, 10, 3),
    dt.date(2025, 12, 25),
    dt.date(2025, 12, 26),
    dt.date(2026, 1, 1),
    dt.date(2026, 4, 3),
    dt.date(2026, 4, 6),
    dt.date(2026, 5, 1),
    dt.date(2026, 5, 14),
    dt.date(2026, 5, 25),
    dt.date(2026, 10, 3),
}

# hour-of-day weights (UTC for online, local store time for stores)
_ONLINE_HOURS = [
    0.6,
    0.35,
    0.2,
    0.12,
    0.1,
    0.15,
    0.4,
    0.9,
    1.2,
    1.3,
    1.3,
    1.4,
    1.6,
    1.5,
    1.4,
    1.4,
    1.5,
    1.7,
    2.0,
    2.3,
    2.4,
    2.1,
    1.6,
    1.0,
]
_STORE_HOURS = {
    10: 0.8,
    11: 1.0,
    12: 1.3,
    13: 1.3,
    14: 1.1,
    15: 1.2,
    16: 1.4,
    17: 1.6,
    18: 1.6,
    19: 1.0,
}


def date_of(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=day)


def days_from(d: dt.date) -> int:
    return (d - EPOCH).days


def _season(d: dt.date) -> float:
    """Relative demand of a calendar day for a fashion and sports retailer."""
    w = 1.0
    if d.month == 11:
        w *= 1.35
        # Black Friday week: the fourth Friday of November and the days around it
        first = dt.date(d.year, 11, 1)
        bf = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 21)
        if -4 <= (d - bf).days <= 3:
            w *= 2.2
    elif d.month == 12:
        w *= 1.5 if d.day <= 22 else 0.8
    elif d.month == 1:
        w *= 1.15  # winter sale
    elif d.month in (2, 3):
        w *= 0.85
    elif d.month in (6, 7):
        w *= 1.1  # summer sale
    elif d.month == 8:
        w *= 0.9
    return w


class Timeline:
    """Samples days and instants with the calendar's shape."""

    def __init__(self) -> None:
        days = [START_DATE + dt.timedelta(days=i) for i in range(N_DAYS)]
        online = []
        store = []
        for d in days:
            s = _season(d)
            online.append(s * (1.15 if d.weekday() == 6 else 1.0))
            closed = d.weekday() == 6 or d in _HOLIDAYS
            store.append(0.0 if closed else s * (1.5 if d.weekday() == 5 else 1.0))
        self.online_weights = online
        self.store_weights = store
        self._online_cum = [0.0, *accumulate(online)]
        self._store_cum = [0.0, *accumulate(store)]
        self._online_hours = list(accumulate(_ONLINE_HOURS))
        self._store_hours = list(_STORE_HOURS)
        self._store_hour_cum = list(accumulate(_STORE_HOURS.values()))
        # UTC offset (seconds) of Berlin at local noon of each day of the period
        self._berlin_offset = []
        for d in days:
            noon = dt.datetime(d.year, d.month, d.day, 12, tzinfo=BERLIN)
            off = noon.utcoffset()
            self._berlin_offset.append(int(off.total_seconds()) if off else 0)

    @staticmethod
    def _pick_day(cum: list[float], lo_day: int, hi_day: int, u: float) -> int:
        """Day index in [lo_day, hi_day] (period-relative) drawn by weight."""
        a = cum[lo_day]
        b = cum[hi_day + 1]
        if b <= a:
            return lo_day
        i = bisect_right(cum, a + u * (b - a)) - 1
        return min(max(i, lo_day), hi_day)

    def online_ts(self, r: Rand, lo_ts: int, hi_ts: int) -> int:
        """An instant in [lo_ts, hi_ts] shaped like online traffic."""
        lo_ts = max(lo_ts, START_TS)
        hi_ts = min(hi_ts, END_TS)
        if hi_ts <= lo_ts:
            return lo_ts
        lo_d = lo_ts // DAY - START_DAY
        hi_d = hi_ts // DAY - START_DAY
        d = self._pick_day(self._online_cum, lo_d, hi_d, r.u())
        hour = bisect_right(self._online_hours, r.u() * self._online_hours[-1])
        ts = (START_DAY + d) * DAY + hour * 3600 + r.below(3600)
        return min(max(ts, lo_ts), hi_ts)

    def store_ts(self, r: Rand, lo_ts: int, hi_ts: int) -> int:
        """An instant during store opening hours (Berlin time) in [lo_ts, hi_ts]."""
        lo_ts = max(lo_ts, START_TS)
        hi_ts = min(hi_ts, END_TS)
        last = N_DAYS - 1
        lo_d = min(max(lo_ts // DAY - START_DAY, 0), last)
        hi_d = min(max(lo_d, hi_ts // DAY - START_DAY), last)
        d = self._pick_day(self._store_cum, lo_d, hi_d, r.u())
        step = 1
        while self.store_weights[d] == 0.0:  # window holds only closed days
            if d == last:
                step = -1
            d += step
        hour = self._store_hours[
            bisect_right(self._store_hour_cum, r.u() * self._store_hour_cum[-1])
        ]
        local = hour * 3600 + r.below(3600)
        return (START_DAY + d) * DAY + local - self._berlin_offset[d]
