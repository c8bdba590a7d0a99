"""What channel generators share: the run's world, the chunk's output and one person's trail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from orchestration.generator.catalog import Catalog, Product
from orchestration.generator.hazards import HazardRates
from orchestration.generator.ids import Ids
from orchestration.generator.mix import ChannelMix
from orchestration.generator.presenter import Presenter
from orchestration.generator.rand import Rand
from orchestration.generator.timeline import Timeline

SHOP_HOST = "www.nordpfad-sport.de"
Row = dict[str, Any]


@dataclass
class World:
    """Everything fixed for a whole run."""

    rates: HazardRates
    mix: ChannelMix
    catalog: Catalog
    timeline: Timeline
    ids: Ids
    encodings: dict[str, str]  # table key -> file encoding from the contract
    # (day, campaign_id) -> clicks that reached the site, for the spend report
    ad_clicks: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))


class ChunkOutput:
    """Rows and ground truth produced for one chunk of persons."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.record_persons: list[tuple[str, str, str, str]] = []
        self.hazards: list[tuple[str, str, str, str]] = []

    def add(self, key: str, row: Row) -> None:
        self.rows[key].append(row)

    def add_identity(
        self, key: str, row: Row, record_id: str, person_id: str, tags: list[str]
    ) -> None:
        """A row describing a customer: also record its true person and its hazards."""
        self.rows[key].append(row)
        source, _, table = key.partition(".")
        self.record_persons.append((source, table, record_id, person_id))
        for tag in dict.fromkeys(tags):
            self.hazards.append((source, table, record_id, tag))


@dataclass(slots=True)
class Cookie:
    cookie_id: str
    device: str
    first_ts: int
    last_ts: int
    login_p: float
    identified: bool = False


@dataclass(slots=True)
class Landing:
    """The start of a web session that came from somewhere (ad, email, order intent)."""

    ts: int
    cookie: Cookie
    source: str  # ad, email, organic, direct, checkout
    page: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    gclid: str | None = None
    fbclid: str | None = None
    referrer: str | None = None
    order: WebOrder | None = None
    customer_id: str | None = None


@dataclass(slots=True)
class Account:
    customer_id: str
    created_ts: int
    email: str | None


@dataclass(slots=True)
class WebOrder:
    order_id: str
    ts: int
    customer_id: str | None
    lines: list[tuple[Product, int, int]]  # product, quantity, unit price (cents)
    total: int
    status: str = "completed"
    returned_in_store: bool = False
    via_app: bool = False


@dataclass(slots=True)
class Receipt:
    receipt_id: str
    ts: int
    total: int
    card_scanned: bool
    store_id: str
    is_return: bool


@dataclass(slots=True)
class Install:
    install_id: str
    device_id: str
    platform: str
    installed_ts: int
    user_id: str | None
    push: bool


@dataclass
class Trail:
    """One person's records so far, for later channels to refer to."""

    cookies: list[Cookie] = field(default_factory=list)
    landings: list[Landing] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    web_orders: list[WebOrder] = field(default_factory=list)
    installs: list[Install] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    marketplace_orders: list[tuple[str, int]] = field(default_factory=list)
    card_id: str | None = None
    member_id: str | None = None
    enrolled_ts: int | None = None
    # page views and ad clicks wait until we know whether their cookie was ever identified
    pending_page_views: list[tuple[Row, Cookie]] = field(default_factory=list)
    pending_ad_clicks: list[tuple[Row, Cookie]] = field(default_factory=list)


@dataclass
class Ctx:
    """Per chunk: the world, the chunk's random stream, presenter and output."""

    world: World
    r: Rand
    pr: Presenter
    out: ChunkOutput

    @property
    def rates(self) -> HazardRates:
        return self.world.rates

    @property
    def mix(self) -> ChannelMix:
        return self.world.mix

    @property
    def catalog(self) -> Catalog:
        return self.world.catalog

    @property
    def timeline(self) -> Timeline:
        return self.world.timeline

    def next_id(self, family: str) -> int:
        return self.world.ids.next(family)
