"""Planted identity hazards: their default rates and the tags written to ground truth.

Every rate that makes identity resolution hard lives in `HazardRates`, so a benchmark
can dial one hazard up or down and see what it does to a resolver. Each record that
carries a hazard gets a row `(source, table, record_id, hazard)` in
`ground_truth/hazards.csv`, using the tag names below.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# -- hazard tags (ground_truth/hazards.csv) -----------------------------------------
NAME_TYPO = "name_typo"
NICKNAME = "nickname"
NAME_ABBREVIATION = "name_abbreviation"
UMLAUT_VARIANT = "umlaut_variant"
STREET_VARIANT = "street_variant"
EMAIL_ALIAS = "email_alias"
EMAIL_TYPO = "email_typo"
SECONDARY_EMAIL = "secondary_email"
SHARED_EMAIL = "shared_email"
MASKED_EMAIL = "masked_email"
PHONE_FORMAT = "phone_format"
MISSING_FIELD = "missing_field"
MOVED_ADDRESS = "moved_address"
NAME_CHANGE = "name_change"
SHARED_PHONE = "shared_phone"
SHARED_ADDRESS = "shared_address"
TWIN = "twin"
JUNK_IDENTIFIER = "junk_identifier"
COOKIE_CHAIN = "cookie_chain"
ANONYMOUS = "anonymous"
WEB_RETURN_IN_STORE = "web_return_in_store"
CASHIER_NAME_ONLY = "cashier_name_only"
DUPLICATE_ACCOUNT = "duplicate_account"
GUEST_CHECKOUT = "guest_checkout"
SHIP_TO_OTHER = "ship_to_other"
TRANSLITERATION = "transliteration"


@dataclass(frozen=True)
class HazardRates:
    """Default rates of every planted identity hazard (all probabilities in [0, 1])."""

    # -- person level -------------------------------------------------------------
    twin: float = 0.012
    """Chance that each further member of a household is a twin of its first member
    (same last name, birth date and address, different first name)."""

    household_landline: float = 0.55
    """Share of households with a landline; it is shared by all members and shows up as
    phone in CRM, web accounts and support tickets."""

    shared_household_email: float = 0.06
    """Share of multi-person households that also use one family mailbox
    (familie.mueller@...) in some channels."""

    shared_email_use: float = 0.35
    """Share of a shared-mailbox person's email-bearing records that show the family
    mailbox instead of their own."""

    moved: float = 0.10
    """Share of households that move during the period (new street, postcode, city)."""

    stale_address: float = 0.7
    """Share of updatable records (web accounts, CRM contacts, loyalty members) created
    before a move or name change that were never updated and still show the old
    address or old last name."""

    name_change: float = 0.03
    """Share of persons whose last name changes during the period (marriage, drawn among
    those aged 21-48); records from before the change, and stale ones, show the old name."""

    secondary_email: float = 0.30
    """Share of persons who also use a second real address (work, old provider)."""

    secondary_email_use: float = 0.40
    """Share of such persons' email-bearing records that show the second address."""

    duplicate_account: float = 0.05
    """Share of web account holders with a second account under another address;
    also the share of CRM contacts that are duplicated."""

    cookie_chain: float = 0.08
    """Share of web visitors with a long cookie chain: 5-15 cookies over devices and
    cleared browsers, only few sessions logged in, so linking needs several hops."""

    guest_checkout: float = 0.15
    """Share of account holders' web orders placed as guest checkout (email, cookie)."""

    # -- record level: names ------------------------------------------------------
    name_typo: float = 0.03
    """Share of name-bearing records with a one-character edit in first or last name."""

    nickname: float = 0.15
    """Share of name-bearing records that show a short form of the first name where one
    exists (Alex/Alexander, Kathi/Katharina, Sepp/Josef)."""

    name_abbreviation: float = 0.03
    """Share of non-store name-bearing records that show an initial ("M. Schmidt")."""

    cashier_abbreviation: float = 0.6
    """Share of cashier-typed store names that are abbreviated ("Mia S.", "M. Schmidt",
    "Schmidt")."""

    umlaut_variant: float = 0.3
    """Share of records whose name or street contains an umlaut or ß that show a
    transliteration (Müller/Mueller/Muller, Straße/Strasse)."""

    street_variant: float = 0.25
    """Share of street-bearing records with an abbreviated street ("Hauptstr. 5")."""

    # -- record level: email and phone --------------------------------------------
    email_alias: float = 0.15
    """Share of email-bearing records that show an alias of the address: case change,
    plus-addressing, gmail dots, googlemail.com, stray whitespace."""

    email_typo: float = 0.015
    """Share of self-typed email fields with a one-character typo."""

    cashier_email_typo: float = 0.08
    """Share of cashier- or portal-typed email fields (store, WiFi) with a typo."""

    phone_format: float = 0.7
    """Share of phone fields not written in E.164 (+49 151 ..., 0049151..., 0151 ...,
    0151-..., 0151/..., (0151) ...)."""

    missing_field: float = 0.10
    """Chance that an optional identifying field (email, phone, birth date, street,
    postcode) is left empty on an account-like record (web account, CRM, loyalty)."""

    junk_identifier: float = 0.04
    """Share of store receipts, CRM contacts, loyalty members and survey responses with a
    junk email, phone or name (test@test.com, noemail@none.de, 0000000, 0123456789,
    unknown)."""

    junk_identifier_wifi: float = 0.12
    """Share of WiFi portal logins with junk identifiers (people type anything)."""

    # -- record level: store ------------------------------------------------------
    pos_card_scan: float = 0.7
    """Share of a loyalty member's store receipts where the card is scanned."""

    pos_email_capture: float = 0.12
    """Share of store receipts with an email typed for an e-receipt (3x on returns)."""

    pos_name_capture: float = 0.18
    """Share of store receipts with a cashier-typed customer name (3x on returns)."""

    pos_phone_capture: float = 0.05
    """Share of store receipts with a cashier-typed phone."""

    web_return_in_store: float = 0.3
    """Share of returned web orders that are returned in a store (POS return receipt
    carrying the web order id; the web order's status is 'returned')."""

    # -- record level: marketplace ------------------------------------------------
    ship_to_other: float = 0.05
    """Share of marketplace orders shipped to another household member's name."""

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"HazardRates.{f.name} must be in [0, 1], got {v}")


def hazard_rate_docs() -> list[tuple[str, float, str]]:
    """(field, default, docstring) for every rate, read from this module's source."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(HazardRates))
    body = tree.body[0].body  # type: ignore[attr-defined]
    out: list[tuple[str, float, str]] = []
    for node, nxt in zip(body, body[1:], strict=False):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            doc = ""
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
                doc = " ".join(str(nxt.value.value).split())
            out.append((node.target.id, getattr(HazardRates(), node.target.id), doc))
    return out
