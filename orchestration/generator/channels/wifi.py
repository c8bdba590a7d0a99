"""Store guest WiFi: captive-portal logins, often during a store visit, junk-heavy."""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.timeline import DAY

LOGINS = "wifi.logins"
MAC_ROTATION = 180 * DAY


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("wifi"):
        return
    r, tl, pr, rates = ctx.r, ctx.timeline, ctx.pr, ctx.rates
    n = max(1, r.poisson(ctx.mix.wifi_logins_per_user_year * p.years_active * p.activity))
    visits = [rc for rc in trail.receipts if not rc.is_return]
    macs: dict[tuple[str, int], str] = {}
    consent = r.u() < 0.4
    for _ in range(n):
        if visits and r.u() < 0.6:
            rc = r.choice(visits)
            store_id, ts = rc.store_id, rc.ts - 300 - r.below(1800)
        else:
            store = p.home_store or ctx.catalog.stores[0]
            store_id, ts = store.store_id, tl.store_ts(r, p.start_ts, p.end_ts)
        tags: list[str] = []
        email = phone = None
        if r.chance(rates.junk_identifier_wifi):
            if r.u() < 0.7:
                email = pr.junk_email(tags)
            else:
                phone = pr.junk_phone(tags)
        elif r.u() < 0.75:
            email = pr.email(p, tags, typed_by_staff=True)
        else:
            phone = pr.phone(p, tags, canonical_share=0.2)
        if phone is None and email is None:
            phone = pr.junk_phone(tags)
        key = (store_id, ts // MAC_ROTATION)
        mac = macs.get(key)
        if mac is None:  # modern phones rotate the MAC per network and over time
            mac = r.hex(64)
            macs[key] = mac
        if hz.JUNK_IDENTIFIER not in tags:
            pr.person_tags(p, tags)
        login_id = f"wl{ctx.next_id('wifi_login'):010d}"
        row: Row = {
            "login_id": login_id,
            "store_id": store_id,
            "login_ts": ts,
            "email": email,
            "phone": phone,
            "device_mac_hash": mac,
            "marketing_consent": consent,
        }
        ctx.out.add_identity(LOGINS, row, login_id, p.person_id, tags)
