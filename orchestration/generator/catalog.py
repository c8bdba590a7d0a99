"""Fixed business world of a run: products, stores, ad, email, SMS and survey campaigns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from orchestration.generator.rand import Rand, Weighted
from orchestration.generator.textvariants import utm_slug
from orchestration.generator.timeline import (
    DAY,
    END_DATE,
    END_DAY,
    START_DATE,
    START_DAY,
    days_from,
)

# (category, sku code, price range in cents, product types)
_CATEGORIES = (
    ("Laufschuhe", "RUN", (6999, 17999), ("Laufschuh", "Trailschuh")),
    ("Sneaker", "SNK", (5999, 14999), ("Sneaker", "Retro-Sneaker")),
    ("Wanderschuhe", "HIK", (8999, 21999), ("Wanderschuh", "Bergstiefel")),
    ("Fußballschuhe", "FTB", (4999, 22999), ("Fußballschuh FG", "Hallenschuh")),
    ("T-Shirts", "TSH", (1499, 3999), ("Funktionsshirt", "T-Shirt Baumwolle")),
    ("Hoodies", "HOD", (3999, 8999), ("Hoodie", "Sweatjacke")),
    ("Trainingsjacken", "JKT", (4999, 11999), ("Trainingsjacke", "Laufjacke")),
    ("Outdoorjacken", "OUT", (9999, 34999), ("Regenjacke", "Daunenjacke", "Softshelljacke")),
    ("Leggings", "LEG", (2999, 7999), ("Tights", "Leggings")),
    ("Shorts", "SHO", (1999, 4999), ("Laufshorts", "Trainingsshorts")),
    ("Sport-BHs", "BRA", (2499, 5999), ("Sport-BH",)),
    ("Socken", "SOC", (799, 1999), ("Laufsocken 3er-Pack", "Wandersocken")),
    ("Rucksäcke & Taschen", "BAG", (2999, 14999), ("Rucksack", "Sporttasche")),
    ("Accessoires", "ACC", (999, 3499), ("Cap", "Mütze", "Handschuhe", "Stirnband")),
    ("Fitness", "FIT", (1499, 8999), ("Yogamatte", "Kurzhantel-Set", "Widerstandsbänder")),
    ("Bademode", "SWM", (2499, 6999), ("Badeanzug", "Badeshorts", "Bikini")),
)
_LINES = (
    "Aero",
    "Flex",
    "Trail",
    "Nordkap",
    "Alpin",
    "Urban",
    "Kite",
    "Föhn",
    "Gipfel",
    "Isar",
    "Spree",
    "Elbe",
    "Brise",
    "Zephyr",
    "Vento",
    "Pulse",
)
_COLOURS = (
    ("Schwarz", "BLK"),
    ("Weiß", "WHT"),
    ("Grün", "GRN"),
    ("Blau", "BLU"),
    ("Rot", "RED"),
    ("Grau", "GRY"),
    ("Beige", "BEI"),
    ("Türkis", "TRK"),
    ("Olivgrün", "OLV"),
    ("Marine", "NAV"),
)
_GENDERS = ("Damen", "Herren", "Unisex", "Kinder")

_STORES = (
    ("Berlin", 3.0, "DE"),
    ("Berlin", 2.0, "DE"),
    ("Hamburg", 2.5, "DE"),
    ("München", 2.5, "DE"),
    ("München", 1.5, "DE"),
    ("Köln", 2.0, "DE"),
    ("Frankfurt am Main", 1.8, "DE"),
    ("Stuttgart", 1.5, "DE"),
    ("Düsseldorf", 1.5, "DE"),
    ("Leipzig", 1.0, "DE"),
    ("Dortmund", 1.0, "DE"),
    ("Essen", 0.9, "DE"),
    ("Bremen", 0.8, "DE"),
    ("Dresden", 0.9, "DE"),
    ("Hannover", 0.9, "DE"),
    ("Nürnberg", 1.0, "DE"),
    ("Münster", 0.7, "DE"),
    ("Freiburg im Breisgau", 0.7, "DE"),
    ("Lübeck", 0.5, "DE"),
    ("Würzburg", 0.5, "DE"),
    ("Wien", 2.0, "AT"),
    ("Salzburg", 0.8, "AT"),
    ("Zürich", 1.5, "CH"),
    ("Basel", 0.7, "CH"),
)


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    price: int  # cents, gross


@dataclass(frozen=True)
class Store:
    store_id: str
    city: str
    country: str
    weight: float
    cashiers: tuple[str, ...]


@dataclass(frozen=True)
class AdCampaign:
    platform: str
    channel: str
    campaign_id: str
    name: str
    ad_groups: tuple[str, ...]
    utm_source: str
    utm_medium: str
    utm_campaign: str
    landing_pages: tuple[str, ...]
    start_day: int  # days since epoch, inclusive
    end_day: int
    weight: float  # share of clicks among active campaigns
    cpc: int  # cents per platform-reported click
    ctr: float


@dataclass(frozen=True)
class Campaign:
    """An email or SMS campaign (or SMS flow when `ts` is None)."""

    campaign_id: str
    name: str
    ts: int | None
    utm_campaign: str


@dataclass(frozen=True)
class Survey:
    survey_id: str
    start_day: int
    end_day: int


@dataclass(frozen=True)
class Catalog:
    products: list[Product]
    category_pages: list[str]  # "/c/<slug>" per product, so big categories come up more
    popularity: Weighted[Product]
    by_category: dict[str, Weighted[Product]]
    stores: list[Store]
    stores_by_country: dict[str, Weighted[Store]]
    ad_campaigns: list[AdCampaign]
    email_campaigns: list[Campaign]
    sms_campaigns: list[Campaign]
    sms_flows: list[Campaign]
    surveys: list[Survey]


def _price(r: Rand, lo: int, hi: int) -> int:
    """Retail price points: 74.99, 79.99, 79.95, 75.00."""
    base = (r.between(lo // 100, hi // 100) // 5) * 5
    return max(799, base * 100 + r.choice((499, 999, 999, 995, 500)))


def _products(r: Rand) -> list[Product]:
    out: list[Product] = []
    for category, code, (lo, hi), kinds in _CATEGORIES:
        seen: set[tuple[str, str, str, str]] = set()
        n = 0
        while n < 26:
            kind, line, gender = r.choice(kinds), r.choice(_LINES), r.choice(_GENDERS)
            colour, ccode = r.choice(_COLOURS)
            if (kind, line, gender, colour) in seen:
                continue
            seen.add((kind, line, gender, colour))
            n += 1
            sku = f"{code}-{1000 + len(out):04d}-{ccode}"
            out.append(
                Product(sku, f"{kind} {line} {gender} {colour}", category, _price(r, lo, hi))
            )
    return out


def _stores(r: Rand) -> list[Store]:
    stores = []
    for i, (city, weight, country) in enumerate(_STORES, start=1):
        cashiers = tuple(f"K{r.between(100, 999)}" for _ in range(r.between(5, 11)))
        stores.append(Store(f"S{i:03d}", city, country, weight, tuple(sorted(set(cashiers)))))
    return stores


def _d(y: int, m: int, d: int) -> int:
    return days_from(dt.date(y, m, d))


def _ad_campaigns(r: Rand) -> list[AdCampaign]:
    always = (START_DAY, END_DAY)
    specs = [
        (
            "google",
            "paid_search",
            "Brand - DE",
            ("Brand Exact", "Brand Phrase"),
            "google",
            "cpc",
            ("/", "/sale"),
            always,
            3.0,
            35,
            0.08,
        ),
        (
            "google",
            "paid_search",
            "Generic - Laufschuhe",
            ("Laufschuhe Damen", "Laufschuhe Herren"),
            "google",
            "cpc",
            ("/c/laufschuhe", "/c/sale"),
            always,
            2.0,
            85,
            0.04,
        ),
        (
            "google",
            "paid_search",
            "Shopping - All Products",
            ("All Products",),
            "google",
            "cpc",
            ("/p/",),
            always,
            3.0,
            55,
            0.012,
        ),
        (
            "google",
            "display",
            "Display - Remarketing",
            ("Cart Abandoners", "Product Viewers"),
            "google",
            "display",
            ("/p/", "/c/neuheiten"),
            always,
            1.0,
            30,
            0.004,
        ),
        (
            "meta",
            "paid_social",
            "Prospecting - Lookalike",
            ("LAL 1% Buyers", "Interest Running"),
            "facebook",
            "paid_social",
            ("/c/neuheiten", "/"),
            always,
            1.8,
            45,
            0.011,
        ),
        (
            "meta",
            "paid_social",
            "Retargeting - DPA",
            ("Viewed 30d", "Cart 7d"),
            "instagram",
            "paid_social",
            ("/p/",),
            always,
            1.2,
            40,
            0.015,
        ),
        (
            "meta",
            "paid_social",
            "Summer Sale 2024",
            ("Sale Broad",),
            "instagram",
            "paid_social",
            ("/sale",),
            (_d(2024, 6, 15), _d(2024, 7, 31)),
            2.0,
            38,
            0.013,
        ),
        (
            "meta",
            "paid_social",
            "Black Week 2024",
            ("BW Broad", "BW Retargeting"),
            "facebook",
            "paid_social",
            ("/sale", "/c/black-week"),
            (_d(2024, 11, 20), _d(2024, 12, 2)),
            4.0,
            52,
            0.016,
        ),
        (
            "meta",
            "paid_social",
            "Xmas Gifts 2024",
            ("Gifts",),
            "instagram",
            "paid_social",
            ("/c/geschenke",),
            (_d(2024, 12, 1), _d(2024, 12, 22)),
            2.0,
            48,
            0.012,
        ),
        (
            "meta",
            "paid_social",
            "Summer Sale 2025",
            ("Sale Broad",),
            "instagram",
            "paid_social",
            ("/sale",),
            (_d(2025, 6, 15), _d(2025, 7, 31)),
            2.0,
            40,
            0.013,
        ),
        (
            "meta",
            "paid_social",
            "Black Week 2025",
            ("BW Broad", "BW Retargeting"),
            "facebook",
            "paid_social",
            ("/sale", "/c/black-week"),
            (_d(2025, 11, 19), _d(2025, 12, 1)),
            4.0,
            55,
            0.016,
        ),
        (
            "meta",
            "paid_social",
            "Xmas Gifts 2025",
            ("Gifts",),
            "instagram",
            "paid_social",
            ("/c/geschenke",),
            (_d(2025, 12, 1), _d(2025, 12, 22)),
            2.0,
            50,
            0.012,
        ),
        (
            "meta",
            "paid_social",
            "Summer Sale 2026",
            ("Sale Broad",),
            "instagram",
            "paid_social",
            ("/sale",),
            (_d(2026, 6, 15), _d(2026, 7, 31)),
            2.0,
            42,
            0.013,
        ),
        (
            "tiktok",
            "paid_social",
            "Awareness - Running Community",
            ("Creators", "Spark Ads"),
            "tiktok",
            "paid_social",
            ("/c/laufschuhe", "/"),
            (_d(2025, 3, 1), END_DAY),
            1.2,
            28,
            0.008,
        ),
        (
            "pinterest",
            "paid_social",
            "Outdoor Inspiration",
            ("Hiking", "Yoga"),
            "pinterest",
            "paid_social",
            ("/c/outdoor", "/c/fitness"),
            always,
            0.6,
            32,
            0.006,
        ),
        (
            "affiliate",
            "affiliate",
            "Awin Network",
            ("Content", "Voucher"),
            "awin",
            "affiliate",
            ("/", "/sale"),
            always,
            1.0,
            60,
            0.02,
        ),
        (
            "affiliate",
            "affiliate",
            "Cashback Portals",
            ("Cashback",),
            "cashback",
            "affiliate",
            ("/",),
            always,
            0.6,
            70,
            0.03,
        ),
    ]
    out = []
    for platform, channel, name, groups, src, med, pages, (a, b), w, cpc, ctr in specs:
        cid = {
            "google": r.digits(11),
            "meta": "2385" + r.digits(13),
            "tiktok": "17" + r.digits(17),
            "pinterest": "6265" + r.digits(8),
            "affiliate": "AWIN-" + r.digits(6),
        }[platform]
        cid = cid.replace(cid[0], "1", 1) if cid[0] == "0" else cid
        out.append(
            AdCampaign(
                platform,
                channel,
                cid,
                name,
                groups,
                src,
                med,
                utm_slug(name) or "campaign",
                pages,
                max(a, START_DAY),
                min(b, END_DAY),
                w,
                cpc,
                ctr,
            )
        )
    return out


_EMAIL_SPECIALS = {
    (2024, 6, 20): "Summer Sale Start",
    (2024, 11, 25): "Black Week - bis zu 40%",
    (2024, 11, 29): "Black Friday - letzte Chance",
    (2024, 12, 6): "Nikolaus-Special",
    (2024, 12, 16): "Last Minute Geschenke",
    (2025, 1, 7): "Winter Sale",
    (2025, 3, 12): "Neue Kollektion Frühjahr",
    (2025, 6, 19): "Summer Sale Start",
    (2025, 11, 24): "Black Week - bis zu 40%",
    (2025, 11, 28): "Black Friday - letzte Chance",
    (2025, 12, 15): "Last Minute Geschenke",
    (2026, 1, 8): "Winter Sale",
    (2026, 3, 11): "Neue Kollektion Frühjahr",
    (2026, 6, 18): "Summer Sale Start",
    (2026, 9, 10): "Herbst-Kollektion ist da",
}


def _email_campaigns(r: Rand, per_month: float) -> list[Campaign]:
    out = []
    d = START_DATE
    p = per_month / 30.4
    while d <= END_DATE:
        special = _EMAIL_SPECIALS.get((d.year, d.month, d.day))
        if special or (d.weekday() in (1, 3) and r.u() < p * 3.5):
            week = d.isocalendar().week
            name = special or f"Newsletter KW{week:02d} {d.year}"
            cid = f"EM-{d:%Y%m%d}"
            ts = days_from(d) * DAY + 7 * 3600 + r.below(2 * 3600)
            out.append(Campaign(cid, name, ts, f"nl_{d:%Y%m%d}_{utm_slug(name)[:24]}"))
        d += dt.timedelta(days=1)
    return out


def _sms_campaigns(r: Rand, per_month: float) -> tuple[list[Campaign], list[Campaign]]:
    out = []
    d = START_DATE
    p = per_month / 30.4
    while d <= END_DATE:
        bw = d.month == 11 and 20 <= d.day <= 29 and d.weekday() == 4
        if bw or (d.weekday() in (3, 5) and r.u() < p * 3.5):
            name = "Black Friday SMS" if bw else f"Flash Sale {d:%d.%m.%Y}"
            ts = days_from(d) * DAY + 15 * 3600 + r.below(3 * 3600)
            out.append(Campaign(f"SMS-{d:%Y%m%d}", name, ts, f"sms_{d:%Y%m%d}"))
        d += dt.timedelta(days=1)
    flows = [
        Campaign("FLOW-WELCOME", "Welcome", None, "sms_welcome"),
        Campaign("FLOW-CART", "Abandoned Cart", None, "sms_cart"),
        Campaign("FLOW-BACKINSTOCK", "Back in Stock", None, "sms_bis"),
    ]
    return out, flows


def _surveys() -> list[Survey]:
    return [
        Survey("SV-ONBOARDING", START_DAY, END_DAY),
        Survey("SV-PREFERENCE-CENTER", START_DAY, END_DAY),
        Survey("SV-NPS-2024H2", _d(2024, 7, 1), _d(2024, 12, 31)),
        Survey("SV-NPS-2025H1", _d(2025, 1, 1), _d(2025, 6, 30)),
        Survey("SV-NPS-2025H2", _d(2025, 7, 1), _d(2025, 12, 31)),
        Survey("SV-NPS-2026H1", _d(2026, 1, 1), _d(2026, 6, 30)),
        Survey("SV-STORE-EXPERIENCE-2025", _d(2025, 4, 1), _d(2025, 10, 31)),
    ]


def build_catalog(r: Rand, email_per_month: float, sms_per_month: float) -> Catalog:
    products = _products(r)
    # popularity: a long tail, seeded per product
    weights = [r.lognormal(0.0, 1.0) for _ in products]
    by_cat: dict[str, tuple[list[Product], list[float]]] = {}
    for p, w in zip(products, weights, strict=True):
        items, ws = by_cat.setdefault(p.category, ([], []))
        items.append(p)
        ws.append(w)
    stores = _stores(r)
    by_country: dict[str, Weighted[Store]] = {}
    for country in ("DE", "AT", "CH"):
        local = [s for s in stores if s.country == country]
        by_country[country] = Weighted(local, [s.weight for s in local])
    sms, flows = _sms_campaigns(r, sms_per_month)
    return Catalog(
        products=products,
        category_pages=["/c/" + utm_slug(p.category).replace("_", "-") for p in products],
        popularity=Weighted(products, weights),
        by_category={k: Weighted(v[0], v[1]) for k, v in by_cat.items()},
        stores=stores,
        stores_by_country=by_country,
        ad_campaigns=_ad_campaigns(r),
        email_campaigns=_email_campaigns(r, email_per_month),
        sms_campaigns=sms,
        sms_flows=flows,
        surveys=_surveys(),
    )
