"""Customer-360 dashboard (Streamlit) over the published warehouse, read-only.

Start it with `make dashboard`; `dashboard/app.py` is the entry point, `dashboard/data.py`
the only module that touches DuckDB, `dashboard/panels/` one module per panel.
"""
