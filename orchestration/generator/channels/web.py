"""Web shop: cookies, accounts, orders with lines, sessions with page views and cart events."""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.catalog import Product
from orchestration.generator.channels import ads
from orchestration.generator.channels.cookies import cookie_at, is_web_person
from orchestration.generator.context import (
    SHOP_HOST,
    Account,
    Cookie,
    Ctx,
    Install,
    Landing,
    Row,
    Trail,
    WebOrder,
)
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.textvariants import ascii_slug
from orchestration.generator.timeline import DAY, END_TS, START_TS

CUSTOMERS = "web_shop.customers"
ORDERS = "web_shop.orders"
ORDER_LINES = "web_shop.order_lines"
PAGE_VIEWS = "web_shop.page_views"
CART_EVENTS = "web_shop.cart_events"

_CONTENT = (
    "/magazin/laufschuh-ratgeber",
    "/magazin/wandern-packliste",
    "/magazin/yoga-basics",
    "/groessentabelle",
    "/filialen",
    "/magazin/marathon-training",
)
_ORGANIC_REFERRERS = Weighted(
    [
        "https://www.google.com/",
        "https://www.google.de/",
        "https://www.bing.com/",
        "https://duckduckgo.com/",
        "https://www.ecosia.org/",
    ],
    [50, 25, 10, 8, 7],
)
_SOCIAL_REFERRERS = (
    "https://l.instagram.com/",
    "https://m.facebook.com/",
    "https://www.pinterest.de/",
    "https://www.youtube.com/",
)
_SHIPPING_DOMESTIC = {"DE", "AT"}


# -- accounts -----------------------------------------------------------------------
def _username(ctx: Ctx, p: Person) -> str:
    r = ctx.r
    f, la = ascii_slug(p.first_name), ascii_slug(p.last_name_at(p.start_ts))
    k = r.below(5)
    if k == 0:
        return f"{p.first_name[:1].upper()}{f[1:]}{la[:1].upper()}{la[1:]}"
    if k == 1:
        return f"{f}{p.birth_year % 100:02d}"
    if k == 2:
        return f"{f}_{la[:1]}{r.between(1, 999)}"
    if k == 3:
        return r.choice(("runner", "trailfan", "yogi", "kicker", "berg", "sporty")) + r.digits(3)
    return f"{la}{f[:1]}"


def accounts(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("web_account"):
        return
    r, tl = ctx.r, ctx.timeline
    if p.start_ts == START_TS:
        created = tl.online_ts(r, START_TS, START_TS + 120 * DAY)
    else:
        created = tl.online_ts(r, p.start_ts, min(p.end_ts, p.start_ts + 30 * DAY))
    _customer(ctx, p, trail, created, duplicate=False)
    if p.duplicate_account and created + 60 * DAY < p.end_ts:
        _customer(ctx, p, trail, tl.online_ts(r, created + 60 * DAY, p.end_ts), duplicate=True)


def _customer(ctx: Ctx, p: Person, trail: Trail, created: int, duplicate: bool) -> None:
    r, pr = ctx.r, ctx.pr
    tags: list[str] = []
    pr.person_tags(p, tags)
    customer_id = f"C{ctx.next_id('customer'):09d}"
    if duplicate:
        tags.append(hz.DUPLICATE_ACCOUNT)
        if p.second_email:
            email = p.second_email
            tags.append(hz.SECONDARY_EMAIL)
        else:
            email = pr.email(p, tags, allow_shared=False)
            if email == p.email:
                email = p.email.replace("@", f"{r.between(1, 99)}@")
                tags.append(hz.EMAIL_ALIAS)
    else:
        email = pr.email(p, tags)
    updated = created if r.u() < 0.4 else created + int(r.u() * (END_TS - created))
    first, last = pr.names(p, updated, tags, updatable=True)
    addr = pr.address(p, updated, tags, updatable=True)
    missing = pr.missing
    phone = None if r.u() < 0.35 or missing(tags) else pr.phone(p, tags, landline_share=0.15)
    birth = None if r.u() < 0.5 or missing(tags) else p.birth_day
    street = None if missing(tags) else pr.street(addr.street, tags)
    row: Row = {
        "customer_id": customer_id,
        "email": email,
        "username": _username(ctx, p) if r.u() < 0.7 else None,
        "first_name": first,
        "last_name": last,
        "phone": phone,
        "birth_date": birth,
        "gender": p.gender if r.u() < 0.7 else None,
        "street": street,
        "postcode": addr.postcode,
        "city": addr.city,
        "country": pr.country(addr.country),
        "marketing_opt_in": r.u() < 0.45,
        "created_at": created,
        "updated_at": updated,
    }
    ctx.out.add_identity(CUSTOMERS, row, customer_id, p.person_id, tags)
    trail.accounts.append(Account(customer_id, created, email))


# -- orders -------------------------------------------------------------------------
def _lines(ctx: Ctx) -> list[tuple[Product, int, int]]:
    r, cat = ctx.r, ctx.catalog
    n = 1 + r.poisson(ctx.mix.lines_per_order - 1)
    out = []
    seen = set()
    for _ in range(n):
        prod = r.weighted(cat.popularity)
        if prod.sku in seen:
            continue
        seen.add(prod.sku)
        u = r.u()
        qty = 1 if u < 0.85 else (2 if u < 0.97 else 3)
        price = prod.price
        if r.u() < 0.15:  # sale price
            price = max(499, (price * r.choice((70, 75, 80)) // 100) // 100 * 100 + 99)
        out.append((prod, qty, price))
    return out


def orders(ctx: Ctx, p: Person, trail: Trail) -> None:
    r, mix, tl = ctx.r, ctx.mix, ctx.timeline
    if trail.accounts:
        lo = trail.accounts[0].created_ts
        years = max(0.0, (p.end_ts - lo) / (365.25 * DAY))
        n = r.poisson(mix.orders_per_account_year * years * p.activity)
    elif p.uses("web_guest"):
        lo = p.start_ts
        n = max(1, r.poisson(mix.orders_per_guest_year * p.years_active * p.activity))
    else:
        return
    app_users = [i for i in trail.installs if i.user_id]
    for ts in sorted(tl.online_ts(r, lo, p.end_ts) for _ in range(n)):
        _order(ctx, p, trail, ts, app_users)


def _order(ctx: Ctx, p: Person, trail: Trail, ts: int, app_users: list[Install]) -> None:
    r, pr, mix, rates = ctx.r, ctx.pr, ctx.mix, ctx.rates
    tags: list[str] = []
    pr.person_tags(p, tags)
    order_id = f"W{ctx.next_id('web_order'):09d}"
    account: Account | None = None
    if trail.accounts and not r.chance(rates.guest_checkout):
        usable = [a for a in trail.accounts if a.created_ts <= ts] or trail.accounts[:1]
        account = usable[-1] if len(usable) > 1 and r.u() < 0.5 else usable[0]
        if account is not trail.accounts[0]:
            tags.append(hz.DUPLICATE_ACCOUNT)
    elif trail.accounts:
        tags.append(hz.GUEST_CHECKOUT)
    guest_email = None if account else pr.email(p, tags)
    lines = _lines(ctx)
    subtotal = sum(q * price for _, q, price in lines)
    domestic = p.country in _SHIPPING_DOMESTIC
    shipping = (495 if subtotal < 5000 else 0) if domestic else (995 if subtotal < 10000 else 0)
    discount = 0
    if r.u() < 0.18:
        discount = subtotal // 10 if r.u() < 0.6 else min(subtotal // 2, r.choice((500, 1000)))
    order = WebOrder(
        order_id,
        ts,
        account.customer_id if account else None,
        lines,
        subtotal + shipping - discount,
    )
    # app orders: placed in the app by a logged-in app user, no web cookie
    via_app = bool(
        account and app_users and r.u() < 0.35 and any(i.installed_ts <= ts for i in app_users)
    )
    landing: Landing | None = None
    if not via_app:
        recent = [
            x
            for x in trail.landings
            if x.order is None and ts - 7 * DAY <= x.ts <= ts and x.source != "checkout"
        ]
        if recent and r.u() < 0.6:
            landing = recent[-1]
        elif p.uses("ads") and r.u() < 0.3:
            landing = ads.click(ctx, p, trail, ts)
        if landing is None:
            cookie = cookie_at(ctx, p, trail, ts)
            if r.u() < 0.35:
                landing = Landing(ts, cookie, "organic", referrer=r.weighted(_ORGANIC_REFERRERS))
            else:
                landing = Landing(ts, cookie, "checkout")
            trail.landings.append(landing)
        landing.order = order
        if account:
            landing.customer_id = account.customer_id
        order.ts = render_session(ctx, p, trail, landing)
        if landing.cookie is not None:
            landing.cookie.identified = True
    order.via_app = via_app
    u = r.u()
    if u < mix.web_cancel_rate:
        order.status = "cancelled"
    elif u < mix.web_cancel_rate + mix.web_return_rate and order.ts < END_TS - 25 * DAY:
        order.status = "returned"
        order.returned_in_store = r.chance(rates.web_return_in_store)
    addr = pr.address(p, order.ts, tags)
    row: Row = {
        "order_id": order_id,
        "customer_id": order.customer_id,
        "guest_email": guest_email,
        "cookie_id": landing.cookie.cookie_id if landing else None,
        "order_ts": order.ts,
        "status": order.status,
        "currency": "EUR",
        "subtotal": subtotal,
        "shipping_amount": shipping,
        "discount_amount": discount,
        "total_amount": order.total,
        "shipping_postcode": addr.postcode,
        "shipping_city": addr.city,
        "shipping_country": pr.country(addr.country),
        "utm_source": landing.utm_source if landing else None,
        "utm_medium": landing.utm_medium if landing else None,
        "utm_campaign": landing.utm_campaign if landing else None,
    }
    ctx.out.add_identity(ORDERS, row, order_id, p.person_id, tags)
    for i, (prod, qty, price) in enumerate(lines, start=1):
        ctx.out.add(
            ORDER_LINES,
            {
                "order_line_id": f"{order_id}-{i}",
                "order_id": order_id,
                "sku": prod.sku,
                "product_name": prod.name,
                "category": prod.category,
                "quantity": qty,
                "unit_price": price,
                "line_total": qty * price,
            },
        )
    trail.web_orders.append(order)


# -- sessions -----------------------------------------------------------------------
def sessions(ctx: Ctx, p: Person, trail: Trail) -> None:
    """Organic and direct visits, plus rendering of ad and email landings."""
    r, mix, tl = ctx.r, ctx.mix, ctx.timeline
    if is_web_person(p):
        n = r.poisson(
            mix.sessions_per_visitor_year
            * p.years_active
            * p.activity
            * (1.6 if p.cookie_chain else 1.0)
        )
        for _ in range(n):
            ts = tl.online_ts(r, p.start_ts, p.end_ts)
            cookie = cookie_at(ctx, p, trail, ts)
            u = r.u()
            if u < 0.45:
                landing = Landing(ts, cookie, "organic", referrer=r.weighted(_ORGANIC_REFERRERS))
            elif u < 0.9:
                landing = Landing(ts, cookie, "direct")
            else:
                landing = Landing(ts, cookie, "social", referrer=r.choice(_SOCIAL_REFERRERS))
            trail.landings.append(landing)
    for landing in trail.landings:
        if landing.order is not None:
            continue  # rendered with its order
        if landing.customer_id is None and trail.accounts and r.chance(landing.cookie.login_p):
            usable = [a for a in trail.accounts if a.created_ts <= landing.ts]
            if usable:
                landing.customer_id = usable[0].customer_id
        render_session(ctx, p, trail, landing)


def _product_page(ctx: Ctx) -> tuple[str, Product]:
    prod = ctx.r.weighted(ctx.catalog.popularity)
    return f"/p/{prod.sku.lower()}", prod


def _page_type(url: str) -> str:
    if url == "/":
        return "home"
    if url.startswith("/p/"):
        return "product"
    if url.startswith(("/c/", "/sale")):
        return "category"
    if url == "/cart":
        return "cart"
    if url == "/checkout":
        return "checkout"
    if url == "/checkout/success":
        return "confirmation"
    if url.startswith("/account"):
        return "account"
    return "content"


def render_session(ctx: Ctx, p: Person, trail: Trail, landing: Landing) -> int:
    """Page views and cart events of one session; returns the time of its last page."""
    r, mix, cat = ctx.r, ctx.mix, ctx.catalog
    order = landing.order
    pages: list[tuple[str, Product | None]] = []
    first = landing.page
    if first is None:
        u = r.u()
        if u < 0.4:
            first = "/"
        elif u < 0.65:
            first = r.choice(cat.category_pages)
        elif u < 0.92:
            first = "/p/"
        else:
            first = r.choice(_CONTENT)
    if first == "/p/":
        pages.append(_product_page(ctx))
    else:
        pages.append((first, None))
    bounce = order is None and r.u() < 0.35
    extra = 0 if bounce else r.poisson(max(0.0, mix.pages_per_session - 1.0))
    for _ in range(extra):
        u = r.u()
        if u < 0.55:
            pages.append(_product_page(ctx))
        elif u < 0.85:
            pages.append((r.choice(cat.category_pages), None))
        elif u < 0.93:
            pages.append((r.choice(_CONTENT), None))
        else:
            pages.append(("/", None))
    if order is not None:
        for prod, _, _ in order.lines:
            pages.append((f"/p/{prod.sku.lower()}", prod))
        pages += [("/cart", None), ("/checkout", None), ("/checkout/success", None)]
    login_at = len(pages)
    if landing.customer_id:
        login_at = 0 if r.u() < 0.6 else r.below(len(pages))
        if login_at > 0 and _page_type(pages[login_at][0]) not in (
            "cart",
            "checkout",
            "confirmation",
        ):
            pages[login_at] = ("/account/login", None)
    session_id = f"{ctx.next_id('session'):011x}"
    cookie = landing.cookie
    if landing.customer_id:
        cookie.identified = True
    ts = landing.ts
    added: list[tuple[Product, int, int]] = []
    for i, (url, prod) in enumerate(pages):
        if i:
            ts = min(END_TS, ts + 8 + int(r.expo(45)))
        customer_id = landing.customer_id if i >= login_at else None
        row: Row = {
            "event_id": f"pv-{ctx.next_id('page_view'):011x}",
            "cookie_id": cookie.cookie_id,
            "customer_id": customer_id,
            "session_id": session_id,
            "event_ts": ts,
            "page_url": url,
            "page_type": _page_type(url),
            "referrer": landing.referrer if i == 0 else f"https://{SHOP_HOST}{pages[i - 1][0]}",
            "utm_source": landing.utm_source if i == 0 else None,
            "utm_medium": landing.utm_medium if i == 0 else None,
            "utm_campaign": landing.utm_campaign if i == 0 else None,
            "gclid": landing.gclid if i == 0 else None,
            "fbclid": landing.fbclid if i == 0 else None,
            "device_type": cookie.device,
        }
        trail.pending_page_views.append((row, cookie))
        if prod is not None:
            in_order = order is not None and i >= len(pages) - 3 - len(order.lines)
            if in_order or r.u() < 0.18:
                qty = 1
                price = prod.price
                if in_order:
                    qty, price = next((q, pr_) for pd, q, pr_ in order.lines if pd is prod)
                added.append((prod, qty, price))
                _cart(
                    ctx,
                    trail,
                    landing,
                    session_id,
                    customer_id,
                    ts + 5,
                    "add_to_cart",
                    prod,
                    qty,
                    price,
                )
                if not in_order and r.u() < 0.1:
                    _cart(
                        ctx,
                        trail,
                        landing,
                        session_id,
                        customer_id,
                        ts + 40,
                        "remove_from_cart",
                        prod,
                        qty,
                        price,
                    )
        if url == "/checkout":
            _cart(
                ctx,
                trail,
                landing,
                session_id,
                customer_id,
                ts + 2,
                "checkout_started",
                None,
                None,
                None,
            )
    return ts


def _cart(
    ctx: Ctx,
    trail: Trail,
    landing: Landing,
    session_id: str,
    customer_id: str | None,
    ts: int,
    event_type: str,
    prod: Product | None,
    qty: int | None,
    price: int | None,
) -> None:
    ctx.out.add(
        CART_EVENTS,
        {
            "event_id": f"ce-{ctx.next_id('cart_event'):011x}",
            "cookie_id": landing.cookie.cookie_id,
            "customer_id": customer_id,
            "session_id": session_id,
            "event_ts": ts,
            "event_type": event_type,
            "sku": prod.sku if prod else None,
            "quantity": qty,
            "unit_price": price,
        },
    )


def flush(ctx: Ctx, p: Person, trail: Trail) -> None:
    """Emit the person's page views and ad clicks, tagged by what their cookie reveals."""
    for row, cookie in trail.pending_page_views:
        tags = _cookie_tags(p, cookie)
        ctx.out.add_identity(PAGE_VIEWS, row, row["event_id"], p.person_id, tags)
    for row, cookie in trail.pending_ad_clicks:
        tags = _cookie_tags(p, cookie)
        ctx.out.add_identity("ads.clicks", row, row["click_id"], p.person_id, tags)
    trail.pending_page_views.clear()
    trail.pending_ad_clicks.clear()


def _cookie_tags(p: Person, cookie: Cookie) -> list[str]:
    tags = []
    if p.cookie_chain:
        tags.append(hz.COOKIE_CHAIN)
    if not cookie.identified:
        tags.append(hz.ANONYMOUS)
    return tags
