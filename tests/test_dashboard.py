"""Customer-360 dashboard end to end, in headless Chromium.

Starts the Streamlit app (`dashboard/app.py`) on a free port against the warehouse that the
session fixture `built` published, drives Debian's Chromium with Playwright, searches a
real customer picked from the warehouse by query, and checks that every panel renders and
shows the warehouse's own numbers (queried here, independently of the dashboard's SQL).
Screenshots of every panel go to docs/screenshots/ (committed; the README shows them).

Chromium is Debian's (`make test` installs it): browsers cannot be downloaded here, so the
test never runs `playwright install`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Locator, Page, sync_playwright

from dashboard.data import connect_read_only
from orchestration.contract import PROJECT_DIR

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = PROJECT_DIR / "docs" / "screenshots"
STARTUP_TIMEOUT_S = 60
RENDER_TIMEOUT_MS = 60_000

# a customer with something in every customer panel, resolved from several records with at
# least one probabilistic link, whose golden email and phone identify only them
CUSTOMER_SQL = """
with touches as (
    select customer_id, count(*) as touchpoints from marts.fct_touchpoints group by 1
),
segments as (
    select customer_id, count(*) as current_segments
    from marts.customer_segment_memberships where is_current group by 1
),
matches as (
    select customer_id, count(*) as probabilistic_links
    from marts.fct_identity_links where link_kind = 'probabilistic' group by 1
),
unique_contacts as (
    select customer_id from marts.dim_customer
    qualify count(*) over (partition by email) = 1 and count(*) over (partition by phone) = 1
)
select c.customer_id, c.first_name, c.last_name, c.email, c.phone
from marts.dim_customer as c
inner join unique_contacts using (customer_id)
inner join touches using (customer_id)
inner join segments using (customer_id)
inner join matches using (customer_id)
where c.email is not null and c.phone is not null and c.orders >= 2
  and touches.touchpoints >= 3 and c.source_records between 5 and 40
order by c.customer_id
limit 1
"""


def money(value: float) -> str:
    return f"{value:,.2f}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rows(conn: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return conn.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def warehouse(built) -> Iterator[duckdb.DuckDBPyConnection]:
    # the dashboard's own connection settings: DuckDB refuses a second connection to one
    # file with other settings in the same process (test_search calls the dashboard code)
    with connect_read_only(str(built["warehouse"])) as conn:
        yield conn


@pytest.fixture(scope="module")
def customer(warehouse) -> dict[str, str]:
    found = warehouse.execute(CUSTOMER_SQL).fetchall()
    assert found, "the test data set has no customer with every panel filled"
    return dict(
        zip(["customer_id", "first_name", "last_name", "email", "phone"], found[0], strict=True)
    )


@pytest.fixture(scope="module")
def dashboard_url(built) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "CDP_DASHBOARD_WAREHOUSE": str(built["warehouse"])}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the dashboard did not start:\n{server.communicate()[0]}")
        time.sleep(0.3)
    yield url
    server.terminate()
    try:
        server.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()


@pytest.fixture(scope="module")
def page(dashboard_url, customer) -> Iterator[Page]:
    """The dashboard with the customer found through the search box by their email."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.set_default_timeout(RENDER_TIMEOUT_MS)
        page.goto(dashboard_url)
        search = page.get_by_role("textbox", name="Email, phone or name")
        search.fill(customer["email"].upper())  # normalised before matching
        search.press("Enter")
        page.get_by_test_id("stSidebar").get_by_text("1 match(es)").wait_for()
        page.wait_for_url(f"**customer={customer['customer_id']}**")
        yield page
        browser.close()


def _open_tab(page: Page, name: str, ready: str) -> Locator:
    """Click a tab and wait for its panel to show the metric or text `ready`."""
    page.get_by_role("tab", name=name, exact=True).click()
    panel = page.get_by_role("tabpanel")
    panel.get_by_text(ready, exact=True).first.wait_for()
    _wait_until_idle(page)
    return panel


def _wait_until_idle(page: Page) -> None:
    """Until Streamlit has finished the script run and every visible chart has drawn
    (the panels of the other tabs are in the page too, hidden and not drawn)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        ".getAttribute('data-test-script-state') === 'notRunning'"
        " && [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
        ".every(c => c.offsetParent === null || c.querySelector('canvas, svg'))"
    )


def _metrics(panel: Locator) -> dict[str, str]:
    metrics = {}
    for metric in panel.get_by_test_id("stMetric").all():
        label = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        metrics[label] = metric.get_by_test_id("stMetricValue").inner_text().strip()
    return metrics


def _table(table: Locator) -> list[list[str]]:
    """An st.table as rows of cell texts, the header first."""
    return [
        [cell.inner_text().strip() for cell in row.locator("th, td").all()]
        for row in table.locator("tr").all()
    ]


def _svg_titles(graph: Locator, kind: str) -> list[str]:
    """Graphviz names each node and edge ('a--b') in an SVG <title>."""
    return graph.locator(f"{kind} > title").evaluate_all("els => els.map(e => e.textContent)")


def _charts(panel: Locator) -> int:
    return sum(chart.is_visible() for chart in panel.get_by_test_id("stVegaLiteChart").all())


def _shoot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_profile_shows_the_golden_record_and_its_provenance(page, warehouse, customer):
    panel = _open_tab(page, "Profile", "Net revenue")
    orders, net_revenue, predicted_clv = _rows(
        warehouse,
        "select orders, net_revenue, predicted_clv from marts.dim_customer where customer_id = ?",
        [customer["customer_id"]],
    )[0]
    panel.get_by_role(
        "heading", name=f"{customer['first_name']} {customer['last_name']}"
    ).wait_for()
    metrics = _metrics(panel)
    assert metrics["Orders"] == f"{orders:,}"
    assert metrics["Net revenue"] == money(net_revenue)
    assert metrics["Predicted CLV"] == money(predicted_clv)
    tables = panel.get_by_test_id("stTable")
    tables.nth(1).wait_for()  # the golden record, then the provenance table
    golden, provenance = (_table(t) for t in tables.all()[:2])
    assert ["email", customer["email"]] in [row[-2:] for row in golden]
    assert ["phone", customer["phone"]] in [row[-2:] for row in golden]
    expected = _rows(
        warehouse,
        "select field, field_value, rule, source_table, reason "
        "from marts.customer_field_provenance where customer_id = ? order by field",
        [customer["customer_id"]],
    )
    assert [row[-5:] for row in provenance[1:]] == [
        ["" if v is None else str(v) for v in row] for row in expected
    ]
    assert _charts(panel) == 1
    _shoot(page, "profile")


def test_timeline_counts_every_touchpoint_and_order(page, warehouse, customer):
    panel = _open_tab(page, "Timeline", "Touchpoints")
    touchpoints, channels = _rows(
        warehouse,
        "select count(*), count(distinct channel) from marts.fct_touchpoints where customer_id = ?",
        [customer["customer_id"]],
    )[0]
    orders = _rows(
        warehouse,
        "select count(*) from marts.fct_orders where customer_id = ?",
        [customer["customer_id"]],
    )[0][0]
    assert _metrics(panel) == {
        "Touchpoints": f"{touchpoints:,}",
        "Orders": f"{orders:,}",
        "Channels touched": f"{channels:,}",
    }
    assert _charts(panel) == 1
    _shoot(page, "timeline")


def test_identity_graph_draws_every_record_and_shared_identifier(page, warehouse, customer):
    panel = _open_tab(page, "Identity graph", "Identity records")
    records, representatives = _rows(
        warehouse,
        "select count(*), count(distinct linked_via_record_key) "
        "from marts.dim_customer_identity_map where customer_id = ?",
        [customer["customer_id"]],
    )[0]
    link_nodes, identifier_nodes = _rows(
        warehouse,
        "select count(*), count(*) filter (where link_kind = 'identifier' and records >= 2) "
        "from (select link_node, any_value(link_kind) as link_kind, count(*) as records "
        "from marts.fct_identity_links where customer_id = ? group by link_node)",
        [customer["customer_id"]],
    )[0]
    metrics = _metrics(panel)
    assert metrics["Identity records"] == f"{records:,}"
    assert metrics["Shown as nodes"] == f"{representatives:,}"
    assert metrics["Link nodes"] == f"{link_nodes:,}"
    graph = panel.get_by_test_id("stGraphVizChart").locator("svg")
    graph.wait_for()
    drawn = set(_svg_titles(graph, "g.node"))
    keys = {
        key
        for (key,) in _rows(
            warehouse,
            "select distinct linked_via_record_key from marts.dim_customer_identity_map "
            "where customer_id = ?",
            [customer["customer_id"]],
        )
    }
    assert keys <= drawn  # every record (events as their group's representative)
    assert len(drawn - keys) == identifier_nodes  # and each identifier two records share
    # the records are one customer: the drawn edges connect all of them
    edges = [t.split("--") for t in _svg_titles(graph, "g.edge")]
    reached, frontier = {min(keys)}, [min(keys)]
    while frontier:
        node = frontier.pop()
        for a, b in edges:
            for x, y in ((a, b), (b, a)):
                if x == node and y not in reached:
                    reached.add(y)
                    frontier.append(y)
    assert keys <= reached
    _shoot(page, "identity_graph")


def test_segments_lists_the_current_memberships(page, warehouse, customer):
    panel = _open_tab(page, "Segments", "Current segments")
    current = _rows(
        warehouse,
        "select segment_name, purpose from marts.customer_segment_memberships "
        "where customer_id = ? and is_current order by segment_name",
        [customer["customer_id"]],
    )
    assert _metrics(panel)["Current segments"] == str(len(current))
    table = _table(panel.get_by_test_id("stTable"))
    header = table[0]
    name, purpose = header.index("segment_name"), header.index("purpose")
    assert sorted((row[name], row[purpose]) for row in table[1:]) == current
    assert _charts(panel) == 1
    _shoot(page, "segments")


def test_kpi_overview_equals_the_marts(page, warehouse):
    panel = _open_tab(page, "KPIs", "AOV")
    orders, net_revenue = _rows(
        warehouse, "select count(*), sum(net_revenue) from marts.fct_orders"
    )[0]
    buyers = _rows(warehouse, "select count(*) from marts.dim_customer where orders >= 1")[0][0]
    monthly_revenue = _rows(warehouse, "select sum(net_revenue) from marts.customer_kpis_monthly")[
        0
    ][0]
    assert monthly_revenue == pytest.approx(net_revenue)  # the two marts agree
    metrics = _metrics(panel)
    assert metrics["Net revenue"] == money(net_revenue)
    assert metrics["Orders"] == f"{orders:,}"
    assert metrics["AOV"] == money(net_revenue / orders)
    assert metrics["Buyers"] == f"{buyers:,}"
    assert _charts(panel) == 3  # monthly trend, cohort heatmap, CLV distribution
    _shoot(page, "kpis")


def test_attribution_shows_every_model_side_by_side(page, warehouse):
    panel = _open_tab(page, "Attribution", "Credited conversions per channel under every model")
    expected = _rows(
        warehouse,
        "select channel, attribution_model, sum(conversion_credit) "
        "from marts.fct_attribution_credits group by all",
    )
    header, *body = _table(panel.get_by_test_id("stTable"))
    shown = {
        (row[0], model): value
        for row in body
        for model, value in zip(header[1:], row[1:], strict=True)
    }
    assert shown == {(channel, model): f"{value:,.1f}" for channel, model, value in expected}
    assert _charts(panel) == 2  # credits by model, ROAS heatmap
    _shoot(page, "attribution")


def test_journey_drop_offs_count_the_carts(page, warehouse):
    panel = _open_tab(page, "Journey drop-offs", "Cart sessions")
    carts, abandoned, cross_device = _rows(
        warehouse,
        "select count(*), count(*) filter (where is_abandoned), "
        "count(*) filter (where is_cross_device_drop_off) "
        "from marts.fct_journey_cart_sessions where is_window_complete",
    )[0]
    metrics = _metrics(panel)
    assert metrics["Cart sessions"] == f"{carts:,}"
    assert metrics["Abandoned carts"] == f"{abandoned:,}"
    assert metrics["Cross-device drop-offs"] == f"{cross_device:,}"
    assert _charts(panel) == 2
    _shoot(page, "journeys")


def test_search_finds_the_customer_by_phone_and_by_name(built, customer):
    from dashboard.data import Warehouse, close_connections
    from dashboard.search import find_customers

    warehouse = Warehouse(Path(built["warehouse"]))
    phone = customer["phone"]  # E.164; typed in national form when it is a German number
    typed = "0" + phone.removeprefix("+49") if phone.startswith("+49") else phone
    try:
        by_phone = find_customers(warehouse, f" {typed[:4]} {typed[4:]} ")
        by_name = find_customers(warehouse, f"{customer['last_name']}, {customer['first_name']}")
    finally:
        close_connections()  # later tests open the file without the dashboard's settings
    assert customer["customer_id"] in set(by_phone["customer_id"])
    assert customer["customer_id"] in set(by_name["customer_id"])


def test_search_without_the_key_finds_the_golden_email_only(built, customer, monkeypatch):
    """Without the pseudonym key no link node can be computed: the search then finds the
    customer by the golden email of customer_contact_lookup, and says so."""
    from dashboard.data import Warehouse, close_connections
    from dashboard.search import find_customers

    monkeypatch.delenv("CDP_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("CDP_PSEUDONYM_DEV_KEY", raising=False)
    warehouse = Warehouse(Path(built["warehouse"]))
    try:
        found = find_customers(warehouse, f"  {customer['email'].upper()} ")
        unknown = find_customers(warehouse, "nobody.at.all@example.invalid")
    finally:
        close_connections()
    matched = found.set_index("customer_id")["matched_on"]
    assert matched.get(customer["customer_id"]) == "golden record"
    assert unknown.empty


def test_search_normalises_as_staging_does(warehouse):
    """Every raw email and phone of the web shop, CRM and loyalty exports, normalised by
    the dashboard, gives the hash / E.164 form staging gave it (so search matches the
    keyed identifiers of customer_identifier_lookup)."""
    from dashboard.search import (
        canonical_email,
        normalize_email,
        normalize_settings,
        phone_candidates,
        sha256_hex,
    )

    settings = normalize_settings()
    checked = 0
    for table in ("stg_web_shop__customers", "stg_crm__contacts", "stg_loyalty__members"):
        rows = _rows(
            warehouse,
            f"select email_raw, email_hash from staging.{table} where email_hash is not null",
        )
        for raw, expected in rows:
            email = normalize_email(raw)
            assert email is not None, raw
            assert sha256_hex(canonical_email(email, settings) or email) == expected, raw
        checked += len(rows)
    phones = _rows(
        warehouse,
        "select phone_raw, phone_e164 from staging.stg_web_shop__customers "
        "where phone_e164 is not null",
    )
    assert [raw for raw, e164 in phones if e164 not in phone_candidates(raw, settings)] == []
    assert checked > 100 and len(phones) > 100
