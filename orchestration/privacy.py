"""Privacy helpers: keyed pseudonyms, ad-platform audience hashes, the PII lineage check.

- `pseudonym(value, key)`: HMAC-SHA256, the reference for the dbt macro `pseudonymize`
  (DuckDB: `dbt_plugins/cdp_pseudonym.py`; Spark: commons-codec), keyed by the secret in
  `CDP_PSEUDONYM_KEY`.
- `google_*` / `meta_*`: the normalisation each platform documents before SHA-256, for
  Customer Match / Custom Audience uploads. These are plain SHA-256 (the platforms must
  be able to match), so they belong in export files only, never in BI marts.
- `pii_leaks(manifest)`: BI-facing marts declared pseudonymised (model meta
  `privacy: pseudonymised`) must not carry a PII column (column meta `pii: true`), nor a
  column named like a PII column of any model or source upstream, unless that column is
  declared `pseudonymised: true`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

PSEUDONYMISED_MART = "pseudonymised"
KEY_ENV = "CDP_PSEUDONYM_KEY"
DEV_FLAG_ENV = "CDP_PSEUDONYM_DEV_KEY"
# the public development key (demos and tests only; CDP_PSEUDONYM_DEV_KEY=1)
DEV_KEY = "cdp-development-key-not-a-secret-do-not-use-in-production"
MIN_KEY_LENGTH = 32


def pseudonym_key() -> bytes | None:
    """The pseudonym key from the environment: CDP_PSEUDONYM_KEY (at least 32 bytes),
    else the public development key when CDP_PSEUDONYM_DEV_KEY=1, else None. The one
    reader of the key: dbt's plugin (dbt_plugins/cdp_pseudonym.py), the erasure
    tombstones and the dashboard's search all use it."""
    key = os.environ.get(KEY_ENV)
    if key:
        if len(key.encode()) < MIN_KEY_LENGTH:
            raise ValueError(f"{KEY_ENV} must be at least {MIN_KEY_LENGTH} bytes long")
        return key.encode()
    if os.environ.get(DEV_FLAG_ENV) == "1":
        return DEV_KEY.encode()
    return None


def pseudonym(value: str, key: bytes) -> str:
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def meta_email(email: str) -> str:
    """Meta: trim, lowercase."""
    return email.strip().lower()


def google_email(email: str) -> str:
    """Google Ads: trim, lowercase; dots before @gmail.com / @googlemail.com removed."""
    local, at, domain = email.strip().lower().rpartition("@")
    if at and domain in ("gmail.com", "googlemail.com"):
        local = local.replace(".", "")
    return f"{local}{at}{domain}" if at else domain


def _digits(phone: str, default_calling_code: str | None) -> str:
    raw = phone.strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") or raw.startswith("00"):
        return digits.removeprefix("00") if raw.startswith("00") else digits
    if default_calling_code is None:
        raise ValueError(f"{phone!r} has no country code and no default was given")
    return default_calling_code + digits.lstrip("0")


def meta_phone(phone: str, default_calling_code: str | None = None) -> str:
    """Meta: digits only with the country code, no symbols, no leading zeros."""
    return _digits(phone, default_calling_code).lstrip("0")


def google_phone(phone: str, default_calling_code: str | None = None) -> str:
    """Google Ads: E.164, '+' then country code and number."""
    return "+" + _digits(phone, default_calling_code).lstrip("0")


def meta_name(name: str) -> str:
    """Meta first/last name: lowercase, no punctuation, UTF-8 letters kept."""
    return re.sub(r"[^\w]|_", "", name.strip().lower())


def audience_hash(kind: str, platform: str, value: str, default_calling_code: str | None = None):
    """SHA-256 hex of `value` normalised for `platform` ('google'|'meta'), `kind` email|phone."""
    normalise = {
        ("google", "email"): google_email,
        ("meta", "email"): meta_email,
        ("google", "phone"): lambda v: google_phone(v, default_calling_code),
        ("meta", "phone"): lambda v: meta_phone(v, default_calling_code),
        ("meta", "name"): meta_name,
    }[(platform, kind)]
    return sha256_hex(normalise(value))


def _meta(node: Mapping[str, Any]) -> Mapping[str, Any]:
    return {**node.get("meta", {}), **node.get("config", {}).get("meta", {})}


def _ancestors(manifest: Mapping[str, Any], unique_id: str) -> set[str]:
    parents = manifest.get("parent_map", {})
    seen: set[str] = set()
    todo = list(parents.get(unique_id, []))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, []))
    return seen


def _node(manifest: Mapping[str, Any], unique_id: str) -> Mapping[str, Any] | None:
    return manifest["nodes"].get(unique_id) or manifest.get("sources", {}).get(unique_id)


def pseudonymised_marts(manifest: Mapping[str, Any]) -> list[str]:
    return sorted(
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and _meta(node).get("privacy") == PSEUDONYMISED_MART
    )


def pii_leaks(manifest: Mapping[str, Any], marts: Iterable[str] | None = None) -> list[str]:
    """'<mart>.<column>: why' for every PII column reaching a pseudonymised mart."""
    leaks: list[str] = []
    for uid in marts if marts is not None else pseudonymised_marts(manifest):
        mart = manifest["nodes"][uid]
        upstream_pii: dict[str, str] = {}
        for parent in _ancestors(manifest, uid):
            node = _node(manifest, parent)
            for name, column in (node or {}).get("columns", {}).items():
                if _meta(column).get("pii"):
                    upstream_pii.setdefault(name.lower(), parent)
        for name, column in mart.get("columns", {}).items():
            meta = _meta(column)
            if meta.get("pii"):
                leaks.append(f"{mart['name']}.{name}: tagged pii")
            elif name.lower() in upstream_pii and not meta.get("pseudonymised"):
                leaks.append(
                    f"{mart['name']}.{name}: PII column of {upstream_pii[name.lower()]} "
                    "passed through without pseudonymisation"
                )
    return leaks
