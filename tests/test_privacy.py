"""Privacy: keyed pseudonyms through dbt without the key leaking, no PII in the
pseudonymised BI marts (from the manifest), ad-platform hashes against the platforms'
published examples."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import privacy
from orchestration.contract import PROJECT_DIR

DBT = str(Path(sys.executable).parent / "dbt")
KEY = "test-key-3f9a1c07e5b24d6f8a0b1c2d3e4f5a6b"
VALUE = "mia.smith@example.com"


# Meta's published examples (Conversions API, customer information parameters).
META_VECTORS = [
    ("email", "John_Smith@gmail.com",
     "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"),
    ("phone", "(650)555-1212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"),
    ("name", "Mary", "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec"),
    ("name", "정", "8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14"),
    ("name", "Valéry", "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c"),
]  # fmt: skip


@pytest.mark.parametrize("kind, value, expected", META_VECTORS)
def test_meta_audience_hashes_match_published_examples(kind: str, value: str, expected: str):
    assert privacy.audience_hash(kind, "meta", value, default_calling_code="1") == expected


def test_meta_and_google_normal_forms():
    assert privacy.meta_email("  John_Smith@gmail.com ") == "john_smith@gmail.com"
    assert privacy.meta_phone("(650)555-1212", "1") == "16505551212"
    assert privacy.meta_phone("+49 30 1234567") == "49301234567"
    # Google: E.164 with '+', and the dots of a gmail.com local part dropped
    assert privacy.google_phone("(650)555-1212", "1") == "+16505551212"
    assert privacy.google_phone("0049 30 1234567") == "+49301234567"
    assert privacy.google_email(" Jo.Hn.Smith@GoogleMail.com ") == "johnsmith@googlemail.com"
    assert privacy.google_email("jo.hn@example.com") == "jo.hn@example.com"
    assert privacy.audience_hash("email", "google", " John.Smith@Gmail.com") == (
        privacy.sha256_hex("johnsmith@gmail.com")
    )
    with pytest.raises(ValueError, match="no country code"):
        privacy.google_phone("030 1234567")


def _dbt_show(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    sql = "select {{ pseudonymize(\"'" + VALUE + "'\") }} as p, {{ pseudonymize('null') }} as n"
    return subprocess.run(
        [DBT, "show", "--inline", sql, "--output", "json", "--profiles-dir", str(PROJECT_DIR)]
        + ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def test_pseudonymize_macro_is_keyed_and_the_key_leaves_no_trace(tmp_path: Path):
    env = os.environ | {
        "CDP_PSEUDONYM_KEY": KEY,
        "WAREHOUSE_PATH": str(tmp_path / "w.duckdb"),
        "DO_NOT_TRACK": "1",
    }
    env.pop("CDP_PSEUDONYM_DEV_KEY", None)
    proc = _dbt_show(tmp_path, env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    start = proc.stdout.index('{\n  "show"')
    shown, _ = json.JSONDecoder().raw_decode(proc.stdout[start:])
    assert shown["show"] == [{"p": privacy.pseudonym(VALUE, KEY.encode()), "n": None}]
    assert shown["show"][0]["p"] != privacy.sha256_hex(VALUE)
    # neither the dbt artifacts, the logs, the output nor the database hold the key
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "manifest.json" for p in files)
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in proc.stdout + proc.stderr


def test_pseudonymize_without_a_key_fails(tmp_path: Path):
    env = os.environ | {"WAREHOUSE_PATH": str(tmp_path / "w.duckdb"), "DO_NOT_TRACK": "1"}
    env.pop("CDP_PSEUDONYM_KEY", None)
    env.pop("CDP_PSEUDONYM_DEV_KEY", None)
    proc = _dbt_show(tmp_path, env)
    assert proc.returncode != 0
    assert "CDP_PSEUDONYM_KEY is not set" in proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((PROJECT_DIR / "target" / "manifest.json").read_text())


def test_pseudonymised_bi_marts_carry_no_pii(manifest: dict):
    marts = privacy.pseudonymised_marts(manifest)
    assert "model.omnichannel_cdp.dim_customer_identity_map" in marts
    assert privacy.pii_leaks(manifest) == []


def test_the_pii_check_catches_a_leak(manifest: dict):
    uid = "model.omnichannel_cdp.dim_customer_identity_map"
    leaky = copy.deepcopy(manifest)
    staging = next(
        p for p in privacy._ancestors(leaky, uid) if p.startswith("model.") and "stg_sms" in p
    )
    leaky["parent_map"][uid] = [*leaky["parent_map"][uid], staging]
    columns = leaky["nodes"][uid]["columns"]
    columns["phone_e164"] = {"name": "phone_e164", "meta": {}, "config": {"meta": {}}}
    columns["first_name"] = {"name": "first_name", "meta": {"pii": True}}
    columns["phone_hash"] = {"name": "phone_hash", "meta": {"pseudonymised": True}}
    leaks = privacy.pii_leaks(leaky)
    assert sorted(leak.split(":")[0] for leak in leaks) == [
        "dim_customer_identity_map.first_name",
        "dim_customer_identity_map.phone_e164",
    ]
