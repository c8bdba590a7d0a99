"""Marketplace order items: stable buyer ids and masked relay emails, never the real address."""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.textvariants import ascii_slug
from orchestration.generator.timeline import DAY, END_TS

ORDERS = "marketplace.orders"

_MARKETPLACES = Weighted(["amazon", "zalando", "ebay"], [60, 25, 15])
_STATUS = Weighted(["shipped", "cancelled", "returned"], [84, 4, 12])


def _buyer(ctx: Ctx, p: Person, marketplace: str) -> tuple[str, str]:
    """(buyer_id, masked email) of the person's account on one marketplace."""
    r = ctx.r
    n = ctx.next_id("mp_buyer")
    if marketplace == "amazon":
        return f"A{r.upper_alnum(12)}{n % 10}", f"{r.alnum(16)}@marketplace.amazon.de"
    if marketplace == "ebay":
        handle = f"{ascii_slug(p.first_name)[:6]}_{ascii_slug(p.last_name)[:5]}{n % 1000}"
        return handle, f"{r.hex(8)}.{r.hex(8)}@members.ebay.com"
    return f"ZC{n:012d}", f"{r.alnum(12)}@partner.zalando.de"


def _order_number(ctx: Ctx, marketplace: str) -> str:
    n = ctx.next_id("mp_order")
    d = f"{n:013d}"
    if marketplace == "amazon":
        return f"30{d[0]}-{d[1:8]}-{d[8:13]}{n % 100:02d}"
    if marketplace == "ebay":
        return f"{d[:2]}-{d[2:7]}-{d[7:12]}"
    return f"1010{d}"


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("marketplace"):
        return
    r, pr, tl, cat = ctx.r, ctx.pr, ctx.timeline, ctx.catalog
    markets = [r.weighted(_MARKETPLACES)]
    if r.u() < 0.3:
        other = r.weighted(_MARKETPLACES)
        if other not in markets:
            markets.append(other)
    buyers = {m: _buyer(ctx, p, m) for m in markets}
    n = max(1, r.poisson(ctx.mix.marketplace_orders_per_buyer_year * p.years_active * p.activity))
    for _ in range(n):
        market = r.choice(markets)
        buyer_id, masked = buyers[market]
        ts = tl.online_ts(r, p.start_ts, p.end_ts)
        order_no = _order_number(ctx, market)
        status = r.weighted(_STATUS)
        if status == "returned" and ts > END_TS - 20 * DAY:
            status = "shipped"
        tags: list[str] = [hz.MASKED_EMAIL]
        pr.person_tags(p, tags)
        others = [m for m in p.household.members if m is not p]
        ship_to = p
        if others and r.chance(ctx.rates.ship_to_other):
            ship_to = r.choice(others)
            tags.append(hz.SHIP_TO_OTHER)
        name = pr.full_name(ship_to, ts, tags)
        addr = pr.address(p, ts, tags)
        street = pr.street(addr.street, tags)
        items = 1 + r.poisson(0.3)
        for _ in range(items):
            prod = r.weighted(cat.popularity)
            item_id = f"{ctx.next_id('mp_item'):014d}"
            row: Row = {
                "order_item_id": item_id,
                "marketplace": market,
                "marketplace_order_id": order_no,
                "buyer_id": buyer_id,
                "buyer_email_masked": masked,
                "buyer_name": name,
                "ship_street": street,
                "ship_postcode": addr.postcode,
                "ship_city": addr.city,
                "ship_country": addr.country,
                "order_ts": ts,
                "sku": prod.sku,
                "quantity": 1 if r.u() < 0.9 else 2,
                "item_price": max(499, prod.price + r.between(-5, 3) * 100),
                "status": status,
            }
            ctx.out.add_identity(ORDERS, row, item_id, p.person_id, tags)
        trail.marketplace_orders.append((order_no, ts))
