"""Single customer view: Python steps of the customer marts (BTYD parameter fitting)."""
