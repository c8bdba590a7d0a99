"""Loyalty programme: members (card numbers) and the points ledger."""

from __future__ import annotations

import datetime as dt

from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.timeline import DAY, END_TS, date_of, days_from

MEMBERS = "loyalty.members"
POINTS = "loyalty.points"
WELCOME_BONUS = 500
BIRTHDAY_BONUS = 200
REDEEM_STEP = 1000


def _ean13(body12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def enrol(ctx: Ctx, p: Person, trail: Trail) -> None:
    """Give loyalty members a card before their store visits (the row is written later)."""
    if not p.uses("loyalty"):
        return
    r, tl = ctx.r, ctx.timeline
    trail.member_id = f"M{ctx.next_id('member'):08d}"
    trail.card_id = _ean13(f"29{ctx.next_id('card'):010d}")
    trail.enrolled_ts = tl.store_ts(r, p.start_ts, min(p.end_ts, p.start_ts + 200 * DAY))


def member_and_points(ctx: Ctx, p: Person, trail: Trail) -> None:
    if trail.member_id is None or trail.card_id is None or trail.enrolled_ts is None:
        return
    r, pr = ctx.r, ctx.pr
    enrolled = trail.enrolled_ts
    member_id = trail.member_id
    ledger: list[tuple[int, str, int, str | None]] = [(enrolled + 5, "bonus", WELCOME_BONUS, None)]
    for rc in trail.receipts:
        if rc.card_scanned and not rc.is_return and rc.ts >= enrolled:
            ledger.append((rc.ts + 60, "earn", max(1, rc.total // 100), rc.receipt_id))
    linked_web = bool(trail.accounts) and r.u() < 0.5
    if linked_web:
        for o in trail.web_orders:
            if o.status == "completed" and o.ts >= enrolled:
                ledger.append((o.ts + 3 * DAY, "earn", max(1, o.total // 100), o.order_id))
    tags: list[str] = []
    pr.person_tags(p, tags)
    has_birthday = r.u() < 0.65
    if has_birthday:
        bd = date_of(p.birth_day)
        for year in (2024, 2025, 2026):
            try:
                day = days_from(bd.replace(year=year))
            except ValueError:  # 29 February
                day = days_from(bd.replace(year=year, day=28))
            ts = day * DAY + 6 * 3600
            if enrolled < ts <= min(END_TS, p.end_ts):
                ledger.append((ts, "bonus", BIRTHDAY_BONUS, None))
    # points of members without activity in a calendar year expire at its end
    for year in (2024, 2025):
        cutoff = days_from(dt.date(year + 1, 1, 1)) * DAY - 3600
        if enrolled < cutoff < END_TS:
            ledger.append((cutoff, "check", year, None))
    ledger.sort(key=lambda e: (e[0], e[1]))
    balance = 0
    earned = 0
    active_years: set[int] = set()
    rows: list[tuple[int, str, int, str | None]] = []
    for ts, kind, pts, ref in ledger:
        if kind == "check":
            if balance > 0 and pts not in active_years:
                rows.append((ts, "expire", -balance, None))
                balance = 0
            continue
        rows.append((ts, kind, pts, ref))
        balance += pts
        earned += pts if kind == "earn" else 0
        active_years.add(date_of(ts // DAY).year)
        if balance >= REDEEM_STEP and kind == "earn" and r.u() < 0.35:
            rows.append((ts + 30, "redeem", -REDEEM_STEP, ref))
            balance -= REDEEM_STEP
    for ts, kind, pts, ref in rows:
        ctx.out.add(
            POINTS,
            {
                "points_txn_id": f"PT{ctx.next_id('points'):010d}",
                "member_id": member_id,
                "txn_ts": min(ts, END_TS),
                "txn_type": kind,
                "points": pts,
                "reference_id": ref,
            },
        )
    tier = "gold" if earned >= 5000 else ("silver" if earned >= 1500 else "bronze")
    missing = pr.missing
    email = None if r.u() < 0.25 or missing(tags) else pr.email(p, tags)
    phone = None if r.u() < 0.45 else pr.phone(p, tags, landline_share=0.1)
    if r.chance(ctx.rates.junk_identifier):
        if email is not None and r.u() < 0.5:
            email = pr.junk_email(tags)
        else:
            phone = pr.junk_phone(tags)
    first, last = pr.names(p, enrolled, tags, updatable=True)
    addr = pr.address(p, enrolled, tags, updatable=True)
    row: Row = {
        "member_id": member_id,
        "loyalty_card_id": trail.card_id,
        "email": email,
        "phone": phone,
        "first_name": first,
        "last_name": last,
        "birth_date": p.birth_day if has_birthday else None,
        "postcode": None if missing(tags) else addr.postcode,
        "tier": tier,
        "enrolled_at": enrolled,
    }
    ctx.out.add_identity(MEMBERS, row, member_id, p.person_id, tags)
