"""Character-level variants of names and streets: typos, umlauts, abbreviations."""

from __future__ import annotations

import unicodedata

from orchestration.generator.rand import Rand

_EXPAND = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
_STRIP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U", "ß": "ss"})
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
    }
)
_UMLAUTS = frozenset("äöüÄÖÜß")
_KEYBOARD_ROWS = ("qwertzuiopü", "asdfghjklöä", "yxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _row in _KEYBOARD_ROWS:
    for _i, _c in enumerate(_row):
        _NEIGHBOURS[_c] = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]


def has_umlaut(text: str) -> bool:
    return not _UMLAUTS.isdisjoint(text)


def expand_umlauts(text: str) -> str:
    """Müller -> Mueller, Straße -> Strasse."""
    return text.translate(_EXPAND)


def umlaut_variant(r: Rand, text: str) -> str:
    """A transliteration people and systems actually produce (Mueller, Muller)."""
    return text.translate(_EXPAND if r.u() < 0.7 else _STRIP)


def strip_accents(text: str) -> str:
    """Remove diacritics (é -> e, ł -> l); umlauts become ae/oe/ue first."""
    text = expand_umlauts(text).translate(_SPECIAL)
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only, for email local parts and usernames."""
    return "".join(c for c in strip_accents(text).lower() if c.isascii() and c.isalnum())


def utm_slug(text: str) -> str:
    """'Black Week 2024' -> 'black_week_2024'."""
    out = "".join(c if c.isalnum() else "_" for c in strip_accents(text).lower())
    return "_".join(part for part in out.split("_") if part)


def encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def to_encoding(text: str, encoding: str) -> str:
    """Text as a system limited to `encoding` stores it (ł -> l in a cp1252 till)."""
    if encodable(text, encoding):
        return text
    out = []
    for c in text:
        if encodable(c, encoding):
            out.append(c)
        else:
            out.append(strip_accents(c) or "?")
    return "".join(out)


def typo(r: Rand, text: str) -> str:
    """One-character edit: neighbouring key, dropped, doubled or swapped letter."""
    if len(text) < 3:
        return text + text[-1:] if text else text
    for _ in range(4):
        i = 1 + r.below(len(text) - 1)  # keep the first letter, as people mostly do
        c = text[i]
        kind = r.below(4)
        if kind == 0 and c.lower() in _NEIGHBOURS:
            n = r.choice(_NEIGHBOURS[c.lower()])
            out = text[:i] + (n.upper() if c.isupper() else n) + text[i + 1 :]
        elif kind == 1:
            out = text[:i] + text[i + 1 :]
        elif kind == 2:
            out = text[:i] + c + text[i:]
        elif i < len(text) - 1:
            out = text[:i] + text[i + 1] + c + text[i + 2 :]
        else:
            continue
        if out != text and out.strip():
            return out
    return text[:-1]


def street_abbreviation(text: str) -> str | None:
    """Hauptstraße 5 -> Hauptstr. 5; None when there is nothing to abbreviate."""
    for long, short in (
        ("straße", "str."),
        ("strasse", "str."),
        ("Straße", "Str."),
        ("Strasse", "Str."),
        ("Platz", "Pl."),
        ("platz", "pl."),
    ):
        if long in text:
            return text.replace(long, short, 1)
    return None


def abbreviate_name(r: Rand, first: str, last: str, salutation: str | None) -> str:
    """How a cashier writes a name in a hurry."""
    k = r.below(6)
    if k == 0 and first:
        return f"{first} {last[:1]}."
    if k == 1 and first:
        return f"{first[:1]}. {last}"
    if k == 2:
        return last
    if k == 3 and salutation:
        return f"{salutation} {last}"
    if k == 4 and first:
        return f"{last}, {first[:1]}."
    return f"{last.upper()} {first}".strip()
