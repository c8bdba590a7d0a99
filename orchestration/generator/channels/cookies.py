"""Browser cookies of a person: one or two for most, a long chain for some."""

from __future__ import annotations

from orchestration.generator.context import Cookie, Ctx, Trail
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.timeline import DAY, START_TS

_DEVICES = Weighted(["desktop", "mobile", "tablet"], [0.42, 0.5, 0.08])


def is_web_person(p: Person) -> bool:
    return p.uses("web_account") or p.uses("web_guest") or p.uses("web_browse")


def ensure_cookies(ctx: Ctx, p: Person, trail: Trail) -> None:
    """The person's browser cookies over the period (many of them for a cookie chain)."""
    if trail.cookies:
        return
    r = ctx.r
    account = p.uses("web_account")
    if p.cookie_chain:
        n, mean_span = r.between(5, 15), 100 * DAY
    else:
        n, mean_span = min(6, 1 + r.poisson(0.45 * p.years_active)), 300 * DAY
    for i in range(n):
        first = p.start_ts if i == 0 else ctx.timeline.online_ts(r, p.start_ts, p.end_ts)
        last = min(p.end_ts, first + int(r.expo(mean_span)) + DAY)
        device = r.weighted(_DEVICES)
        if not account:
            login_p = 0.0
        elif p.cookie_chain:
            login_p = 0.0 if r.u() < 0.5 else 0.15
        else:
            login_p = 0.6 if device == "desktop" else 0.4
        # the cookie's own timestamp: first visit, before the period for existing visitors
        born = first - r.below(500 * DAY) if first == START_TS else first
        cid = f"{ctx.next_id('cookie'):010d}.{born}"
        trail.cookies.append(Cookie(cid, device, first, last, login_p))


def cookie_at(ctx: Ctx, p: Person, trail: Trail, ts: int) -> Cookie:
    """A cookie of the person alive at `ts` (stretching the nearest one if none is)."""
    ensure_cookies(ctx, p, trail)
    alive = [c for c in trail.cookies if c.first_ts <= ts <= c.last_ts]
    if alive:
        return alive[0] if len(alive) == 1 else ctx.r.choice(alive)
    c = min(trail.cookies, key=lambda c: min(abs(c.first_ts - ts), abs(c.last_ts - ts)))
    c.first_ts = min(c.first_ts, ts)
    c.last_ts = max(c.last_ts, ts)
    return c
