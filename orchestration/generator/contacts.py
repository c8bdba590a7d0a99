"""Email addresses and phone numbers: how they are built and how people write them."""

from __future__ import annotations

from dataclasses import dataclass

from orchestration.generator.rand import Rand, Weighted
from orchestration.generator.textvariants import ascii_slug

FREEMAIL: dict[str, Weighted[str]] = {
    "DE": Weighted(
        [
            "gmail.com",
            "web.de",
            "gmx.de",
            "gmx.net",
            "t-online.de",
            "outlook.de",
            "hotmail.de",
            "yahoo.de",
            "icloud.com",
            "posteo.de",
            "freenet.de",
            "mail.de",
            "aol.com",
        ],
        [18, 17, 15, 6, 10, 5, 4, 4, 7, 2, 3, 2, 2],
    ),
    "AT": Weighted(
        ["gmx.at", "aon.at", "a1.net", "gmail.com", "outlook.com", "chello.at"],
        [25, 15, 8, 30, 12, 5],
    ),
    "CH": Weighted(
        ["bluewin.ch", "gmx.ch", "gmail.com", "hispeed.ch", "sunrise.ch", "outlook.com"],
        [30, 15, 30, 8, 5, 7],
    ),
    "GB": Weighted(
        [
            "gmail.com",
            "hotmail.co.uk",
            "outlook.com",
            "yahoo.co.uk",
            "btinternet.com",
            "icloud.com",
        ],
        [35, 20, 12, 12, 10, 8],
    ),
    "NL": Weighted(
        ["gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "outlook.com", "live.nl"],
        [35, 18, 12, 15, 12, 5],
    ),
    "FR": Weighted(
        ["gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "hotmail.fr"],
        [35, 20, 15, 10, 10, 10],
    ),
    "PL": Weighted(["wp.pl", "onet.pl", "o2.pl", "interia.pl", "gmail.com"], [22, 20, 15, 13, 30]),
}
WORK_DOMAINS = (
    "siemens.com",
    "allianz.de",
    "telekom.de",
    "bosch.com",
    "sap.com",
    "dhl.com",
    "ergo.de",
    "uni-koeln.de",
    "tum.de",
    "stadt-muenchen.de",
    "charite.de",
    "lidl.de",
    "rewe-group.com",
    "bmw.de",
    "basf.com",
    "otto.de",
    "zf.com",
    "kpmg.com",
    "accenture.com",
    "db.de",
)
PLUS_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.de",
        "outlook.com",
        "icloud.com",
        "posteo.de",
        "hotmail.de",
        "hotmail.co.uk",
        "hotmail.nl",
        "hotmail.fr",
    }
)
PLUS_TAGS = ("shop", "newsletter", "sport", "online", "deals", "web", "kaufen", "fit")
JUNK_EMAILS = (
    "test@test.com",
    "noemail@none.de",
    "keine@keine.de",
    "no@email.com",
    "a@a.de",
    "x@x.de",
    "kunde@kunde.de",
    "unknown",
    "test@test.de",
    "info@info.de",
)
JUNK_PHONES = ("0000000", "0123456789", "000000000", "1234567", "01111111111", "unknown")

# (country code, trunk prefix, mobile codes, landline area codes, subscriber length range)
_PLAN: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "DE": (
        "49",
        "0",
        (
            "151",
            "152",
            "157",
            "159",
            "160",
            "162",
            "163",
            "170",
            "171",
            "172",
            "173",
            "174",
            "175",
            "176",
            "177",
            "178",
            "179",
        ),
        (
            "30",
            "40",
            "89",
            "221",
            "69",
            "711",
            "211",
            "231",
            "201",
            "421",
            "511",
            "341",
            "351",
            "911",
            "228",
            "6221",
            "7071",
            "8031",
            "4621",
            "2131",
        ),
    ),
    "AT": ("43", "0", ("650", "660", "664", "676", "680", "699"), ("1", "316", "512", "662")),
    "CH": ("41", "0", ("76", "77", "78", "79"), ("44", "31", "61", "21", "22")),
    "GB": ("44", "0", ("7700", "7711", "7822", "7956", "7400"), ("20", "161", "121", "131")),
    "NL": ("31", "0", ("6",), ("20", "10", "30", "70")),
    "FR": ("33", "0", ("6", "7"), ("1", "4", "5")),
    "PL": ("48", "", ("50", "51", "60", "66", "69", "72", "78", "88"), ("22", "12", "61")),
}
_NSN_LEN = {
    "DE": (10, 11),
    "AT": (10, 11),
    "CH": (9, 9),
    "GB": (10, 10),
    "NL": (9, 9),
    "FR": (9, 9),
    "PL": (9, 9),
}


@dataclass(frozen=True)
class Phone:
    """A phone number in parts: country code, trunk prefix, area/mobile code, subscriber."""

    cc: str
    trunk: str
    code: str
    subscriber: str
    mobile: bool

    @property
    def e164(self) -> str:
        return f"+{self.cc}{self.code}{self.subscriber}"


class Registry:
    """Addresses and numbers already handed out in this run (real ones are unique)."""

    def __init__(self) -> None:
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    def claim_email(self, r: Rand, local: str, domain: str) -> str:
        local = local.strip(".-_") or "kunde"
        email = f"{local}@{domain}"
        while email in self.emails:
            email = f"{local}{r.between(1, 99)}@{domain}"
            local = f"{local}{r.below(10)}" if r.u() < 0.3 else local
        self.emails.add(email)
        return email

    def claim_phone(self, r: Rand, country: str, mobile: bool) -> Phone:
        cc, trunk, mobiles, areas = _PLAN.get(country, _PLAN["DE"])
        lo, hi = _NSN_LEN.get(country, _NSN_LEN["DE"])
        while True:
            code = r.choice(mobiles if mobile else areas)
            length = r.between(lo, hi) - len(code)
            sub = str(r.between(1, 9)) + r.digits(max(3, length - 1))
            phone = Phone(cc, trunk, code, sub, mobile)
            if phone.e164 not in self.phones:
                self.phones.add(phone.e164)
                return phone


def personal_email(
    r: Rand, reg: Registry, first: str, last: str, birth_year: int, country: str
) -> str:
    f, la = ascii_slug(first) or "x", ascii_slug(last) or "kunde"
    yy = f"{birth_year % 100:02d}"
    k = r.below(10)
    local = (
        f"{f}.{la}",
        f"{f}{la}",
        f"{f[0]}.{la}",
        f"{f}_{la}",
        f"{f}.{la}{yy}",
        f"{la}.{f}",
        f"{f}{r.between(1, 999)}",
        f"{f}.{la}{birth_year}",
        f"{f[0]}{la}{yy}",
        f"{la}{f[0]}",
    )[k]
    return reg.claim_email(r, local, r.weighted(FREEMAIL.get(country, FREEMAIL["DE"])))


def secondary_email(r: Rand, reg: Registry, first: str, last: str, country: str) -> str:
    f, la = ascii_slug(first) or "x", ascii_slug(last) or "kunde"
    if r.u() < 0.5:
        return reg.claim_email(r, f"{f}.{la}", r.choice(WORK_DOMAINS))
    local = r.choice((f"{f[0]}{la}", f"{la}.{f[0]}", f"{f}{r.between(1, 99)}", f"{la}{f}"))
    return reg.claim_email(r, local, r.weighted(FREEMAIL.get(country, FREEMAIL["DE"])))


def family_email(r: Rand, reg: Registry, last: str, country: str) -> str:
    la = ascii_slug(last) or "familie"
    local = r.choice((f"familie.{la}", f"fam.{la}", f"{la}s", f"{la}.family", f"haus{la}"))
    return reg.claim_email(r, local, r.weighted(FREEMAIL.get(country, FREEMAIL["DE"])))


def email_alias(r: Rand, email: str) -> str:
    """A different spelling that reaches the same mailbox (or the same typing)."""
    local, _, domain = email.partition("@")
    options = ["case", "case", "space"]
    if domain in PLUS_DOMAINS:
        options += ["plus", "plus"]
    if domain in ("gmail.com", "googlemail.com"):
        options += ["dots", "dots", "googlemail"]
    kind = r.choice(options)
    if kind == "plus":
        return f"{local}+{r.choice(PLUS_TAGS)}@{domain}"
    if kind == "dots":
        bare = local.replace(".", "")
        if bare != local:
            return f"{bare}@{domain}"
        i = r.between(1, max(1, len(bare) - 1))
        return f"{bare[:i]}.{bare[i:]}@{domain}"
    if kind == "googlemail":
        return f"{local}@{'googlemail.com' if domain == 'gmail.com' else 'gmail.com'}"
    if kind == "space":
        return f"{email} " if r.u() < 0.6 else f" {email}"
    k = r.below(3)
    if k == 0:
        return email.upper()
    if k == 1:
        return ".".join(p[:1].upper() + p[1:] for p in local.split(".")) + "@" + domain
    return f"{local}@{domain.upper()}"


def email_typo(r: Rand, email: str) -> str:
    local, _, domain = email.partition("@")
    if r.u() < 0.4:
        swaps = {
            "gmail.com": "gmial.com",
            "web.de": "wbe.de",
            "gmx.de": "gmx.ed",
            "t-online.de": "tonline.de",
            "gmx.net": "gmx.ner",
            "outlook.de": "outlok.de",
            "hotmail.de": "hotmal.de",
            "icloud.com": "icoud.com",
            "yahoo.de": "yaho.de",
        }
        if domain in swaps:
            return f"{local}@{swaps[domain]}"
    if len(local) < 3:
        return f"{local}{local[-1:]}@{domain}"
    i = 1 + r.below(len(local) - 1)
    k = r.below(3)
    if k == 0:
        local = local[:i] + local[i + 1 :]
    elif k == 1:
        local = local[:i] + local[i] + local[i:]
    else:
        local = local[: i - 1] + local[i] + local[i - 1] + local[i + 1 :]
    return f"{local}@{domain}"


def format_phone(r: Rand, p: Phone, canonical: bool = False) -> str:
    """The number written one of the many ways people and systems write it."""
    if canonical:
        return p.e164
    nat = f"{p.trunk}{p.code}"
    s = p.subscriber
    k = r.below(11)
    if k == 0:
        return f"+{p.cc} {p.code} {s}"
    if k == 1:
        return f"00{p.cc}{p.code}{s}"
    if k == 2:
        return f"00{p.cc} {p.code} {s}"
    if k == 3:
        return f"{nat} {s}"
    if k == 4:
        return f"{nat}-{s}"
    if k == 5:
        return f"{nat}/{s}"
    if k == 6:
        return f"({nat}) {s[:4]} {s[4:]}".rstrip()
    if k == 7 and p.trunk:
        return f"+{p.cc} (0){p.code} {s}"
    if k == 8:
        return f"{nat}{s}"
    if k == 9:
        return f"+{p.cc} {p.code} {s[:3]} {s[3:]}"
    return f"{nat} {s[:3]} {s[3:6]} {s[6:]}".rstrip()
