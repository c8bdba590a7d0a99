"""Find customers by email, phone or name, as the marts allow.

The marts hold the golden email (normalised) and phone (E.164) of `dim_customer` in
`customer_contact_lookup`, and every email and phone a customer was ever linked by in
`customer_identifier_lookup` (link node `id:<type>:<keyed pseudonym of the value's
SHA-256>`, as in `fct_identity_links`); both are stored in the order of the value looked
up, so that a search reads a few row groups of each. A search term is normalised the way
staging normalises it (email: trimmed and lowercased, its canonical form for the hash;
phone: E.164, a national number in the default country first, then in the others) and
matched against both, so a customer is found by an old address too. Names match the golden
first and last name, case-insensitively, in either order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from dashboard.data import Warehouse
from orchestration.erasure.keys import key_from_env
from orchestration.privacy import pseudonym, sha256_hex

PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project.yml"
RESULT_LIMIT = 50


EMAIL_TYPES = ("email", "household_email")
PHONE_TYPES = ("phone", "landline")


@dataclass(frozen=True)
class NormalizeSettings:
    """The dbt vars staging normalises emails and phones with (dbt_project.yml)."""

    default_country: str
    calling_codes: dict[str, str]
    countries_without_trunk_prefix: tuple[str, ...]
    domain_aliases: dict[str, str]
    dotless_domains: tuple[str, ...]


@lru_cache(maxsize=1)
def normalize_settings(project_file: Path = PROJECT_FILE) -> NormalizeSettings:
    variables = yaml.safe_load(project_file.read_text())["vars"]
    return NormalizeSettings(
        default_country=variables["default_phone_country"],
        calling_codes={k: str(v) for k, v in variables["phone_country_codes"].items()},
        countries_without_trunk_prefix=tuple(
            variables.get("phone_countries_without_trunk_prefix", [])
        ),
        domain_aliases={
            k.lower(): v.lower() for k, v in variables.get("email_domain_aliases", {}).items()
        },
        dotless_domains=tuple(d.lower() for d in variables.get("email_dotless_domains", [])),
    )


def normalize_email(term: str) -> str | None:
    """Trimmed, lowercased; None unless it looks like one address."""
    email = term.strip().lower()
    return email if re.fullmatch(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+", email) else None


def canonical_email(email: str, settings: NormalizeSettings) -> str | None:
    """The matching form (macro canonical_email): domain alias folded, plus-tag removed,
    dots removed from the local part on dotless domains."""
    local, domain = email.split("@")
    domain = settings.domain_aliases.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in settings.dotless_domains:
        local = local.replace(".", "")
    return f"{local}@{domain}" if local else None


def phone_candidates(term: str, settings: NormalizeSettings) -> list[str]:
    """The E.164 forms a typed number can have ('+4915112345678'), most likely first.

    An international number ('+43 650 ...', '0043 650 ...') has one. A national number
    ('0650 7762 2176') is read in the default country first, as staging reads a record
    without a country, then in every other country of var phone_country_codes (trunk '0'
    dropped, except where the country has none), so a customer abroad is found too.
    Empty when the term is not a phone number.
    """
    cleaned = re.sub(r"[\s()./-]", "", term.strip().replace("(0)", ""))
    if not re.fullmatch(r"\+?\d{6,16}", cleaned):
        return []
    if cleaned.startswith("+"):
        return [cleaned]
    if cleaned.startswith("00"):
        return ["+" + cleaned[2:]]
    countries = [settings.default_country] + sorted(
        c for c in settings.calling_codes if c != settings.default_country
    )
    candidates: list[str] = []
    for country in countries:
        if country in settings.countries_without_trunk_prefix:
            if cleaned.startswith("0"):
                continue
            national = cleaned
        else:
            national = cleaned.removeprefix("0")
        candidate = "+" + settings.calling_codes[country] + national
        if candidate not in candidates:
            candidates.append(candidate)
    return candidates


SEARCH_BY_IDENTIFIER_SQL = """
with linked as (
    select customer_id
    from marts.customer_identifier_lookup
    where link_node in (select unnest(?::varchar[]))
),

golden as (
    select customer_id
    from marts.customer_contact_lookup
    where contact_type = '{golden_column}'
      and contact_value in (select unnest(?::varchar[]))
),

matched as (
    select customer_id, 'golden record' as matched_on from golden
    union all
    select customer_id, 'linked identifier (hashed)' as matched_on from linked
)

select
    dim_customer.customer_id,
    dim_customer.first_name,
    dim_customer.last_name,
    dim_customer.email,
    dim_customer.city,
    dim_customer.orders,
    dim_customer.net_revenue,
    string_agg(distinct matched.matched_on, ', ' order by matched.matched_on) as matched_on
from matched
inner join marts.dim_customer on dim_customer.customer_id = matched.customer_id
group by all
order by dim_customer.net_revenue desc nulls last, dim_customer.customer_id
limit {limit}
"""

SEARCH_BY_NAME_SQL = """
select
    customer_id,
    first_name,
    last_name,
    email,
    city,
    orders,
    net_revenue,
    'golden name' as matched_on
from marts.dim_customer
where lower(first_name || ' ' || last_name) like ?
   or lower(last_name || ' ' || first_name) like ?
   or lower(last_name || ', ' || first_name) like ?
order by net_revenue desc nulls last, customer_id
limit {limit}
"""


def link_nodes(types: tuple[str, ...], values: list[str]) -> list[str]:
    """customer_identifier_lookup.link_node of each identifier type and normalised value:
    'id:<type>:' + the keyed pseudonym (macro pseudonymize, key CDP_PSEUDONYM_KEY) of the
    value's SHA-256. Without the key, no link node can be computed: the search then
    matches the golden record only."""
    try:
        key = key_from_env()
    except RuntimeError:
        return []
    return [f"id:{kind}:{pseudonym(sha256_hex(value), key)}" for value in values for kind in types]


def find_customers(warehouse: Warehouse, term: str) -> pd.DataFrame:
    """Customers matching an email, a phone number or a name."""
    settings = normalize_settings()
    email = normalize_email(term)
    if email is not None:
        canonical = canonical_email(email, settings) or email
        sql = SEARCH_BY_IDENTIFIER_SQL.format(golden_column="email", limit=RESULT_LIMIT)
        return warehouse.query(sql, (link_nodes(EMAIL_TYPES, [canonical]), [email]))
    phones = phone_candidates(term, settings)
    if phones:
        sql = SEARCH_BY_IDENTIFIER_SQL.format(golden_column="phone", limit=RESULT_LIMIT)
        return warehouse.query(sql, (link_nodes(PHONE_TYPES, phones), phones))
    pattern = "%" + " ".join(term.lower().split()) + "%"
    return warehouse.query(SEARCH_BY_NAME_SQL.format(limit=RESULT_LIMIT), (pattern,) * 3)
