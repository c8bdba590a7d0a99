"""Data quality checks on raw tables (Great Expectations suites, reconciliation)."""
