"""How a person shows up in one record: the identity hazards are applied here.

Every method takes the record's `tags` list and appends the hazard tags it planted,
so ground truth knows exactly which hazard each record carries.
"""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.contacts import (
    JUNK_EMAILS,
    JUNK_PHONES,
    Phone,
    email_alias,
    email_typo,
    format_phone,
)
from orchestration.generator.hazards import HazardRates
from orchestration.generator.nicknames import short_forms
from orchestration.generator.population import Address, Person
from orchestration.generator.rand import Rand
from orchestration.generator.textvariants import (
    abbreviate_name,
    has_umlaut,
    street_abbreviation,
    to_encoding,
    typo,
    umlaut_variant,
)

_SALUTATIONS = {
    "de": {"f": "Frau", "m": "Herr", "d": "Divers"},
    "en": {"f": "Ms", "m": "Mr", "d": ""},
    "nl": {"f": "Mevrouw", "m": "De heer", "d": ""},
    "fr": {"f": "Madame", "m": "Monsieur", "d": ""},
    "pl": {"f": "Pani", "m": "Pan", "d": ""},
}
_COUNTRY_SPELLINGS = {
    "DE": ("DE", "DE", "DE", "Deutschland", "Germany", "D", "de"),
    "AT": ("AT", "AT", "Österreich", "Austria"),
    "CH": ("CH", "CH", "Schweiz", "Switzerland", "Suisse"),
    "GB": ("GB", "UK", "United Kingdom", "England"),
    "NL": ("NL", "NL", "Niederlande", "Netherlands", "Nederland"),
    "FR": ("FR", "FR", "Frankreich", "France"),
    "PL": ("PL", "PL", "Polen", "Poland", "Polska"),
}


class Presenter:
    """Applies `HazardRates` to a person's true identity, record by record."""

    def __init__(self, r: Rand, rates: HazardRates) -> None:
        self.r = r
        self.rates = rates

    # -- people ---------------------------------------------------------------------
    def person_tags(self, p: Person, tags: list[str]) -> None:
        if p.has_twin:
            tags.append(hz.TWIN)

    def first_name(self, p: Person, tags: list[str]) -> str:
        """First name, sometimes a short form, sometimes transliterated."""
        name = p.first_name
        if self.r.chance(self.rates.nickname):
            forms = short_forms(name)
            if forms:
                name = self.r.choice(forms)
                tags.append(hz.NICKNAME)
        return self._spell(name, tags)

    def last_name(self, p: Person, ts: int, tags: list[str], updatable: bool = False) -> str:
        """Last name at `ts`; an `updatable` record (account, contact) created before a name
        change is brought up to date unless it went stale."""
        name = p.last_name_at(ts)
        if updatable and name != p.last_name and not self.r.chance(self.rates.stale_address):
            name = p.last_name
        if name != p.last_name:
            tags.append(hz.NAME_CHANGE)
        return self._spell(name, tags)

    def _spell(self, name: str, tags: list[str]) -> str:
        if has_umlaut(name) and self.r.chance(self.rates.umlaut_variant):
            name = umlaut_variant(self.r, name)
            tags.append(hz.UMLAUT_VARIANT)
        return name

    def names(
        self, p: Person, ts: int, tags: list[str], updatable: bool = False
    ) -> tuple[str, str]:
        """(first, last) with nickname, umlaut, abbreviation and typo hazards."""
        first = self.first_name(p, tags)
        last = self.last_name(p, ts, tags, updatable)
        r = self.r
        if r.chance(self.rates.name_abbreviation):
            first = first[:1] + "."
            tags.append(hz.NAME_ABBREVIATION)
        elif r.chance(self.rates.name_typo):
            if r.u() < 0.5:
                first = typo(r, first)
            else:
                last = typo(r, last)
            tags.append(hz.NAME_TYPO)
        return first, last

    def full_name(self, p: Person, ts: int, tags: list[str]) -> str:
        first, last = self.names(p, ts, tags)
        return f"{first} {last}"

    def cashier_name(self, p: Person, ts: int, tags: list[str], encoding: str) -> str:
        """A name typed at the till: often abbreviated, sometimes misspelt, till charset."""
        r = self.r
        first = self.first_name(p, tags)
        last = self.last_name(p, ts, tags)
        if r.chance(self.rates.name_typo * 2):
            last = typo(r, last)
            tags.append(hz.NAME_TYPO)
        if r.chance(self.rates.cashier_abbreviation):
            name = abbreviate_name(r, first, last, self.salutation(p, short=True))
            tags.append(hz.NAME_ABBREVIATION)
        else:
            name = f"{first} {last}"
        return self.charset(name, encoding, tags)

    def charset(self, text: str, encoding: str, tags: list[str]) -> str:
        out = to_encoding(text, encoding)
        if out != text:
            tags.append(hz.TRANSLITERATION)
        return out

    def salutation(self, p: Person, short: bool = False) -> str:
        s = _SALUTATIONS[p.salutation_style][p.gender]
        if short and s in ("Frau", "Herr"):
            return "Fr." if s == "Frau" else "Hr."
        return s

    def country(self, country: str) -> str:
        return self.r.choice(_COUNTRY_SPELLINGS.get(country, (country,)))

    # -- email ----------------------------------------------------------------------
    def email(
        self,
        p: Person,
        tags: list[str],
        typed_by_staff: bool = False,
        allow_shared: bool = True,
    ) -> str:
        """An address the person gives: own, second or family, maybe aliased or misspelt."""
        r, rates = self.r, self.rates
        h = p.household
        if allow_shared and h.family_email and r.chance(rates.shared_email_use):
            email = h.family_email
            tags.append(hz.SHARED_EMAIL)
        elif p.second_email and r.chance(rates.secondary_email_use):
            email = p.second_email
            tags.append(hz.SECONDARY_EMAIL)
        else:
            email = p.email
        if r.chance(rates.cashier_email_typo if typed_by_staff else rates.email_typo):
            email = email_typo(r, email)
            tags.append(hz.EMAIL_TYPO)
        if r.chance(rates.email_alias):
            email = email_alias(r, email)
            tags.append(hz.EMAIL_ALIAS)
        return email

    def junk_email(self, tags: list[str]) -> str:
        tags.append(hz.JUNK_IDENTIFIER)
        return self.r.choice(JUNK_EMAILS)

    def junk_phone(self, tags: list[str]) -> str:
        tags.append(hz.JUNK_IDENTIFIER)
        return self.r.choice(JUNK_PHONES)

    # -- phone ----------------------------------------------------------------------
    def phone(
        self,
        p: Person,
        tags: list[str],
        landline_share: float = 0.0,
        canonical_share: float | None = None,
    ) -> str | None:
        """Mobile (or the household landline), written in some format."""
        r = self.r
        h = p.household
        number: Phone | None = p.mobile
        if h.landline is not None and (number is None or r.chance(landline_share)):
            number = h.landline
            if h.size > 1:
                tags.append(hz.SHARED_PHONE)
        if number is None:
            return None
        return self.format_phone(number, tags, canonical_share)

    def format_phone(
        self, number: Phone, tags: list[str], canonical_share: float | None = None
    ) -> str:
        odd = self.rates.phone_format if canonical_share is None else 1.0 - canonical_share
        if self.r.chance(odd):
            tags.append(hz.PHONE_FORMAT)
            return format_phone(self.r, number)
        return number.e164

    # -- address --------------------------------------------------------------------
    def address(self, p: Person, ts: int, tags: list[str], updatable: bool = False) -> Address:
        """Address at `ts`; an `updatable` record created before a move is brought up to
        date unless it went stale."""
        h = p.household
        addr = p.address_at(ts)
        if updatable and addr is not h.address and not self.r.chance(self.rates.stale_address):
            addr = h.address
        if addr is not h.address:
            tags.append(hz.MOVED_ADDRESS)
        if h.size > 1:
            tags.append(hz.SHARED_ADDRESS)
        return addr

    def street(self, street: str, tags: list[str]) -> str:
        r = self.r
        if has_umlaut(street) and r.chance(self.rates.umlaut_variant):
            street = umlaut_variant(r, street)
            tags.append(hz.UMLAUT_VARIANT)
        if r.chance(self.rates.street_variant):
            short = street_abbreviation(street)
            if short:
                street = short
                tags.append(hz.STREET_VARIANT)
        return street

    def missing(self, tags: list[str]) -> bool:
        """True when an optional identifying field is left empty (tagged)."""
        if self.r.chance(self.rates.missing_field):
            tags.append(hz.MISSING_FIELD)
            return True
        return False
