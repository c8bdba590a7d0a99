"""Store tills: receipts and receipt lines, store returns and in-store returns of web orders.

Identity at the till is thin: a scanned loyalty card, an email typed for an e-receipt,
a name or phone typed by the cashier, or nothing at all.
"""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.catalog import Product, Store
from orchestration.generator.context import Ctx, Receipt, Row, Trail, WebOrder
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.timeline import DAY, END_TS

RECEIPTS = "pos.receipts"
RECEIPT_LINES = "pos.receipt_lines"

_PAYMENT = Weighted(["card", "cash", "mobile"], [55, 30, 15])
_JUNK_NAMES = ("unknown", "Kunde", "Barverkauf", "xxx", "Laufkunde")


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    r, tl, mix = ctx.r, ctx.timeline, ctx.mix
    if p.uses("store"):
        n = r.poisson(mix.receipts_per_shopper_year * p.years_active * p.activity)
        n = max(n, 1)
        for ts in sorted(tl.store_ts(r, p.start_ts, p.end_ts) for _ in range(n)):
            store = _store(ctx, p)
            lines = _basket(ctx)
            _receipt(ctx, p, trail, store, ts, lines, None)
            if r.chance(mix.store_return_rate) and ts < END_TS - 25 * DAY:
                back = [lines[i] for i in range(len(lines)) if i == 0 or r.u() < 0.3]
                rts = tl.store_ts(r, ts + DAY, ts + 20 * DAY)
                _receipt(ctx, p, trail, store, rts, [(pd, -q, pr) for pd, q, pr in back], None)
    for order in trail.web_orders:
        if order.returned_in_store:
            _web_return(ctx, p, trail, order)


def _store(ctx: Ctx, p: Person) -> Store:
    r = ctx.r
    if p.home_store is not None and r.u() < 0.75:
        return p.home_store
    stores = ctx.catalog.stores_by_country.get(p.country, ctx.catalog.stores_by_country["DE"])
    return r.weighted(stores)


def _basket(ctx: Ctx) -> list[tuple[Product, int, int]]:
    r = ctx.r
    n = 1 + r.poisson(0.8)
    out = []
    for _ in range(n):
        prod = r.weighted(ctx.catalog.popularity)
        qty = 1 if r.u() < 0.9 else 2
        out.append((prod, qty, prod.price))
    return out


def _web_return(ctx: Ctx, p: Person, trail: Trail, order: WebOrder) -> None:
    store = p.home_store or ctx.catalog.stores[0]
    ts = ctx.timeline.store_ts(ctx.r, order.ts + 3 * DAY, order.ts + 21 * DAY)
    lines = [(pd, -q, pr) for pd, q, pr in order.lines]
    _receipt(ctx, p, trail, store, ts, lines, order)


def _receipt(
    ctx: Ctx,
    p: Person,
    trail: Trail,
    store: Store,
    ts: int,
    lines: list[tuple[Product, int, int]],
    web_order: WebOrder | None,
) -> None:
    r, pr, rates = ctx.r, ctx.pr, ctx.rates
    is_return = lines[0][1] < 0
    tags: list[str] = []
    receipt_id = f"{store.store_id}-{ctx.next_id('receipt'):09d}"
    boost = 3.0 if is_return else 1.0
    card = None
    if trail.card_id and trail.enrolled_ts is not None and trail.enrolled_ts <= ts:
        card = trail.card_id if r.chance(rates.pos_card_scan) else None
    email = name = phone = None
    if r.chance(min(1.0, rates.pos_email_capture * boost)):
        email = pr.email(p, tags, typed_by_staff=True)
    if r.chance(min(1.0, rates.pos_name_capture * boost)):
        name = pr.cashier_name(p, ts, tags, ctx.world.encodings[RECEIPTS])
    if r.chance(rates.pos_phone_capture):
        phone = pr.phone(p, tags, landline_share=0.2)
    junk = None
    if r.chance(rates.junk_identifier):
        junk = ("email", "phone", "name")[r.below(3)]
        if junk == "email":
            email = pr.junk_email(tags)
        elif junk == "phone":
            phone = pr.junk_phone(tags)
        else:
            name = r.choice(_JUNK_NAMES)
            tags.append(hz.JUNK_IDENTIFIER)
    real_email = email if junk != "email" else None
    real_phone = phone if junk != "phone" else None
    real_name = name if junk != "name" else None
    if not (card or real_email or real_phone or real_name):
        tags.append(hz.ANONYMOUS)
    elif real_name and not (card or real_email or real_phone):
        tags.append(hz.CASHIER_NAME_ONLY)
    if real_email or real_phone or real_name:
        pr.person_tags(p, tags)
    if web_order is not None:
        tags.append(hz.WEB_RETURN_IN_STORE)
    total = sum(q * price for _, q, price in lines)
    row: Row = {
        "receipt_id": receipt_id,
        "store_id": store.store_id,
        "store_city": store.city,
        "cashier_id": r.choice(store.cashiers),
        "receipt_ts": ts,
        "loyalty_card_id": card,
        "customer_email": email,
        "customer_name": name,
        "customer_phone": phone,
        "total_amount": total,
        "payment_method": r.weighted(_PAYMENT),
        "is_return": is_return,
        "original_order_id": web_order.order_id if web_order else None,
    }
    ctx.out.add_identity(RECEIPTS, row, receipt_id, p.person_id, tags)
    for i, (prod, qty, price) in enumerate(lines, start=1):
        ctx.out.add(
            RECEIPT_LINES,
            {
                "receipt_line_id": f"{receipt_id}-{i}",
                "receipt_id": receipt_id,
                "line_no": i,
                "sku": prod.sku,
                "product_name": prod.name,
                "quantity": qty,
                "unit_price": price,
                "line_total": qty * price,
            },
        )
    trail.receipts.append(
        Receipt(receipt_id, ts, total, card is not None, store.store_id, is_return)
    )
