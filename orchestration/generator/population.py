"""Persons and households of one chunk: the ground truth every record is drawn from."""

from __future__ import annotations

from dataclasses import dataclass, field

from orchestration.generator.catalog import Catalog, Store
from orchestration.generator.contacts import (
    Phone,
    Registry,
    family_email,
    personal_email,
    secondary_email,
)
from orchestration.generator.hazards import HazardRates
from orchestration.generator.mix import HOUSEHOLD_SIZES, LOCALES, ChannelMix, conditional
from orchestration.generator.pools import LocalePool
from orchestration.generator.rand import Rand, Weighted
from orchestration.generator.timeline import DAY, END_TS, START_DAY, START_TS, Timeline, date_of

CHANNELS = (
    "web_account",
    "web_guest",
    "web_browse",
    "app",
    "store",
    "crm",
    "email",
    "sms",
    "marketplace",
    "support",
    "loyalty",
    "survey",
    "wifi",
    "ads",
)


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    postcode: str
    city: str
    country: str


@dataclass(slots=True)
class Household:
    household_id: str
    address: Address
    old_address: Address | None = None
    move_ts: int | None = None
    landline: Phone | None = None
    family_email: str | None = None
    members: list[Person] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(slots=True)
class Person:
    person_id: str
    household: Household
    locale: str
    country: str
    gender: str  # f, m, d
    first_name: str
    last_name: str  # current
    birth_day: int  # days since epoch
    email: str = ""
    second_email: str | None = None
    mobile: Phone | None = None
    maiden_name: str | None = None  # last name before `name_change_ts`
    name_change_ts: int | None = None
    twin_of: str | None = None
    has_twin: bool = False
    start_ts: int = START_TS
    end_ts: int = END_TS
    activity: float = 1.0
    channels: frozenset[str] = frozenset()
    cookie_chain: bool = False
    duplicate_account: bool = False
    home_store: Store | None = None
    salutation_style: str = "de"

    def last_name_at(self, ts: int) -> str:
        if self.maiden_name and self.name_change_ts is not None and ts < self.name_change_ts:
            return self.maiden_name
        return self.last_name

    def address_at(self, ts: int) -> Address:
        h = self.household
        if h.old_address is not None and h.move_ts is not None and ts < h.move_ts:
            return h.old_address
        return h.address

    @property
    def birth_year(self) -> int:
        return date_of(self.birth_day).year

    def uses(self, channel: str) -> bool:
        return channel in self.channels

    @property
    def years_active(self) -> float:
        return max(0.0, (self.end_ts - self.start_ts) / (365.25 * DAY))


@dataclass(frozen=True)
class PopulationContext:
    pools: dict[str, LocalePool]
    locales: Weighted[str]
    catalog: Catalog
    timeline: Timeline
    registry: Registry
    rates: HazardRates
    mix: ChannelMix


def locale_weights() -> Weighted[str]:
    return Weighted(list(LOCALES), [w for w, _ in LOCALES.values()])


_SIZES = Weighted(list(HOUSEHOLD_SIZES), list(HOUSEHOLD_SIZES.values()))


def _street(r: Rand, pool: LocalePool) -> str:
    number = str(r.between(1, 148))
    if r.u() < 0.08:
        number += r.choice("abc")
    street = r.choice(pool.streets)
    if pool.country == "FR":
        return f"{number} {street}"
    if pool.country in ("GB",):
        return f"{number} {street}"
    return f"{street} {number}"


def _address(r: Rand, pool: LocalePool) -> Address:
    postcode, city = r.choice(pool.places)
    return Address(_street(r, pool), postcode, city, pool.country)


def _birth_day(r: Rand, min_age: float, max_age: float) -> int:
    age_days = int(r.uniform(min_age, max_age) * 365.25)
    return START_DAY - age_days


def _adult_age(r: Rand) -> float:
    # customer base skewed to 25-55
    return min(82.0, max(18.0, r.normal(40.0, 13.0)))


def _first(r: Rand, pool: LocalePool, gender: str) -> str:
    if gender == "d":
        gender = "f" if r.u() < 0.5 else "m"
    return r.weighted(pool.female if gender == "f" else pool.male)


def _gender(r: Rand) -> str:
    u = r.u()
    return "f" if u < 0.52 else ("m" if u < 0.99 else "d")


def make_households(
    ctx: PopulationContext, r: Rand, first_person: int, count: int, first_household: int
) -> list[Household]:
    """Households holding exactly `count` persons numbered from `first_person`."""
    households: list[Household] = []
    rates = ctx.rates
    n = 0
    hh_no = first_household
    while n < count:
        size = min(r.weighted(_SIZES), count - n)
        locale = r.weighted(ctx.locales)
        pool = ctx.pools[locale]
        hh = Household(f"H{hh_no:08d}", _address(r, pool))
        hh_no += 1
        if r.chance(rates.moved):
            hh.old_address = hh.address
            # most moves stay in the region; some go far
            hh.address = _address(r, pool)
            hh.move_ts = START_TS + int(r.uniform(0.08, 0.92) * (END_TS - START_TS))
        if r.chance(rates.household_landline):
            hh.landline = ctx.registry.claim_phone(r, pool.country, mobile=False)
        head_age = _adult_age(r)
        for i in range(size):
            pid = f"P{first_person + n:08d}"
            n += 1
            if i == 0:
                g = _gender(r)
                p = Person(
                    pid,
                    hh,
                    locale,
                    pool.country,
                    g,
                    _first(r, pool, g),
                    r.weighted(pool.last),
                    _birth_day(r, head_age, head_age + 1),
                )
            elif r.chance(rates.twin):
                head = hh.members[0]
                g = _gender(r)
                first = _first(r, pool, g)
                while first == head.first_name:
                    first = _first(r, pool, g)
                p = Person(
                    pid,
                    hh,
                    locale,
                    pool.country,
                    g,
                    first,
                    head.last_name,
                    head.birth_day,
                    twin_of=head.person_id,
                    has_twin=True,
                )
                head.has_twin = True
            elif i == 1:
                head = hh.members[0]
                g = ("m" if head.gender == "f" else "f") if r.u() < 0.9 else head.gender
                last = head.last_name if r.u() < 0.65 else r.weighted(pool.last)
                age = max(18.0, head_age + r.normal(0, 4))
                p = Person(
                    pid,
                    hh,
                    locale,
                    pool.country,
                    g,
                    _first(r, pool, g),
                    last,
                    _birth_day(r, age, age + 1),
                )
            elif head_age >= 42:
                head = hh.members[0]
                g = _gender(r)
                age = r.uniform(16.0, max(17.0, head_age - 22))
                p = Person(
                    pid,
                    hh,
                    locale,
                    pool.country,
                    g,
                    _first(r, pool, g),
                    head.last_name,
                    _birth_day(r, age, age + 1),
                )
            else:  # flat share
                g = _gender(r)
                p = Person(
                    pid,
                    hh,
                    locale,
                    pool.country,
                    g,
                    _first(r, pool, g),
                    r.weighted(pool.last),
                    _birth_day(r, 19, 35),
                )
            hh.members.append(p)
        if hh.size > 1 and r.chance(rates.shared_household_email):
            hh.family_email = family_email(r, ctx.registry, hh.members[0].last_name, pool.country)
        for p in hh.members:
            _complete(ctx, r, p)
        households.append(hh)
    return households


def _complete(ctx: PopulationContext, r: Rand, p: Person) -> None:
    """Contacts, life events, activity and channel participation of one person."""
    rates, mix = ctx.rates, ctx.mix
    age = (START_DAY - p.birth_day) / 365.25
    if not p.twin_of and 21 <= age <= 48 and r.chance(rates.name_change * 2.2):
        p.maiden_name = p.last_name
        partner = next(
            (m for m in p.household.members if m is not p and m.last_name != p.last_name), None
        )
        if partner is not None and r.u() < 0.7:
            p.last_name = partner.last_name
        else:
            p.last_name = r.weighted(ctx.pools[p.locale].last)
        if p.last_name == p.maiden_name:
            p.maiden_name = None
        else:
            p.name_change_ts = START_TS + int(r.uniform(0.1, 0.9) * (END_TS - START_TS))
    # the address people chose years ago uses the name they had then
    email_last = p.maiden_name or p.last_name
    p.email = personal_email(r, ctx.registry, p.first_name, email_last, p.birth_year, p.country)
    if r.chance(rates.secondary_email):
        p.second_email = secondary_email(r, ctx.registry, p.first_name, p.last_name, p.country)
    if r.u() < 0.93:
        p.mobile = ctx.registry.claim_phone(r, p.country, mobile=True)
    p.salutation_style = {"GB": "en", "NL": "nl", "FR": "fr", "PL": "pl"}.get(p.country, "de")
    if r.chance(mix.existing_customer):
        p.start_ts = START_TS
    else:
        p.start_ts = ctx.timeline.online_ts(r, START_TS, END_TS - 20 * DAY)
    if r.chance(mix.churn):
        p.end_ts = p.start_ts + int(r.uniform(0.2, 1.0) * (END_TS - p.start_ts))
    p.activity = r.lognormal(-0.18, 0.6)
    p.channels = frozenset(_channels(ctx, r, p))
    web = p.uses("web_account") or p.uses("web_guest") or p.uses("web_browse")
    p.cookie_chain = web and r.chance(rates.cookie_chain)
    p.duplicate_account = p.uses("web_account") and r.chance(rates.duplicate_account)
    stores = ctx.catalog.stores_by_country.get(p.country, ctx.catalog.stores_by_country["DE"])
    p.home_store = r.weighted(stores)


def _channels(ctx: PopulationContext, r: Rand, p: Person) -> list[str]:
    m = ctx.mix
    out: list[str] = []
    account = r.chance(m.web_account)
    if account:
        out.append("web_account")
    elif r.chance(m.web_guest_only):
        out.append("web_guest")
    elif r.chance(m.web_browse_only):
        out.append("web_browse")
    app_hi, app_lo = conditional(m.app, m.web_account, 1.55)
    if r.chance(app_hi if account else app_lo):
        out.append("app")
    local = p.country in ("DE", "AT", "CH")
    store = r.chance(m.store * (1.08 if local else 0.3))
    if store:
        out.append("store")
    loy_hi, loy_lo = conditional(m.loyalty, m.store, 1.8)
    if r.chance(loy_hi if store else loy_lo):
        out.append("loyalty")
    wifi_hi, wifi_lo = conditional(m.wifi, m.store, 2.0)
    if r.chance(wifi_hi if store else wifi_lo):
        out.append("wifi")
    mail_hi, mail_lo = conditional(m.email, m.web_account, 1.3)
    if r.chance(mail_hi if account else mail_lo):
        out.append("email")
    for name, rate in (
        ("crm", m.crm),
        ("sms", m.sms),
        ("marketplace", m.marketplace),
        ("survey", m.survey),
    ):
        if r.chance(rate):
            out.append(name)
    buyer = account or "web_guest" in out or "marketplace" in out or store
    sup_hi, sup_lo = conditional(m.support, 0.75, 1.25)
    if r.chance(sup_hi if buyer else sup_lo):
        out.append("support")
    if out and out[0].startswith("web") and r.chance(m.ads):
        out.append("ads")
    if not out:  # everybody generated leaves a trace somewhere
        out.append("store" if local and r.u() < 0.5 else "web_browse")
    return out
