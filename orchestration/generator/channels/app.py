"""Mobile app: installs (devices, in-app login) and in-app events (incl. app orders)."""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.context import Ctx, Install, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.timeline import DAY, END_TS, START_TS

INSTALLS = "mobile_app.installs"
EVENTS = "mobile_app.events"

_EVENTS = Weighted(["app_open", "product_view", "add_to_cart", "push_open"], [42, 40, 10, 8])
_SCREENS = {
    "app_open": ("home",),
    "product_view": ("pdp",),
    "add_to_cart": ("pdp", "cart"),
    "push_open": ("push_landing", "home"),
    "purchase": ("checkout_success",),
}


def _version(ts: int) -> str:
    months = (ts - START_TS) // (30 * DAY)
    return f"{3 + months // 12}.{months % 12}.{months % 3}"


def installs(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("app"):
        return
    r, pr, tl = ctx.r, ctx.pr, ctx.timeline
    n = 1 + (1 if r.u() < 0.25 else 0)
    ios = r.u() < (0.45 if p.country in ("DE", "AT", "CH") else 0.55)
    for _ in range(n):
        tags: list[str] = []
        ts = tl.online_ts(r, p.start_ts, p.end_ts)
        install_id = f"inst_{ctx.next_id('install'):010x}"
        account = trail.accounts[0] if trail.accounts else None
        user_id = account.customer_id if account and r.u() < 0.75 else None
        login_email = None
        if user_id and r.u() < 0.8:
            login_email = account.email if account and r.u() < 0.6 and account.email else None
            if login_email is None:
                login_email = pr.email(p, tags, allow_shared=False)
        if not user_id and not login_email:
            tags.append(hz.ANONYMOUS)
        device_id = r.uuid(upper=ios)
        push = r.u() < (0.5 if ios else 0.75)
        row: Row = {
            "install_id": install_id,
            "device_id": device_id,
            "platform": "ios" if ios else "android",
            "app_version": _version(ts),
            "installed_at": ts,
            "user_id": user_id,
            "login_email": login_email,
            "push_opt_in": push,
        }
        ctx.out.add_identity(INSTALLS, row, install_id, p.person_id, tags)
        trail.installs.append(Install(install_id, device_id, row["platform"], ts, user_id, push))


def events(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not trail.installs:
        return
    r, tl, cat = ctx.r, ctx.timeline, ctx.catalog
    for inst in trail.installs:
        years = max(0.0, (p.end_ts - inst.installed_ts) / (365.25 * DAY))
        n = r.poisson(ctx.mix.app_events_per_install_year * years * p.activity)
        _event(ctx, inst, inst.installed_ts + 30, "app_open", None, None, None)
        for _ in range(n):
            name = r.weighted(_EVENTS)
            if name == "push_open" and not inst.push:
                name = "app_open"
            sku = (
                r.weighted(cat.popularity).sku if name in ("product_view", "add_to_cart") else None
            )
            _event(ctx, inst, tl.online_ts(r, inst.installed_ts, p.end_ts), name, sku, None, None)
    app_orders = [o for o in trail.web_orders if o.via_app]
    for order in app_orders:
        inst = next(
            (i for i in trail.installs if i.user_id and i.installed_ts <= order.ts),
            trail.installs[0],
        )
        _event(ctx, inst, order.ts, "purchase", None, order.order_id, order.total)


def _event(
    ctx: Ctx,
    inst: Install,
    ts: int,
    name: str,
    sku: str | None,
    order_id: str | None,
    revenue: int | None,
) -> None:
    ctx.out.add(
        EVENTS,
        {
            "event_id": f"ae-{ctx.next_id('app_event'):011x}",
            "device_id": inst.device_id,
            "user_id": inst.user_id,
            "event_ts": min(ts, END_TS),
            "event_name": name,
            "screen": ctx.r.choice(_SCREENS[name]),
            "sku": sku,
            "order_id": order_id,
            "revenue": revenue,
        },
    )
