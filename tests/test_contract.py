"""The raw contract YAML is well formed and its rendered documentation is current."""

from orchestration.contract import SUPPORTED_FORMATS, load_contract
from orchestration.contract_docs import DOC_PATH, render

EXPECTED_SOURCES = {
    "web_shop",
    "mobile_app",
    "pos",
    "crm",
    "email",
    "sms",
    "ads",
    "marketplace",
    "support",
    "loyalty",
    "surveys",
    "wifi",
}


def test_every_channel_is_in_the_contract():
    tables = load_contract()
    assert {t.source for t in tables} == EXPECTED_SOURCES
    assert {"csv", "jsonl", "parquet"} == {t.file_format for t in tables} == set(SUPPORTED_FORMATS)


def test_every_table_has_a_key_documented_columns_and_pii_tags():
    for t in load_contract():
        assert t.primary_key, t.key
        assert set(t.primary_key) <= set(t.column_names), t.key
        assert all(t.column(k).required for k in t.primary_key), t.key
        assert all(c.description for c in t.columns), t.key
        assert len(set(t.column_names)) == len(t.column_names), t.key
        if t.identity_record:
            assert any(c.pii for c in t.columns), t.key


def test_rendered_contract_doc_is_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/raw_contract.md is stale: run `python -m orchestration docs`"
    )
