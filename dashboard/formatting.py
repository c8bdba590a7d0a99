"""How the dashboard writes numbers: the browser test reads them back in the same form."""

from __future__ import annotations

import math


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None) -> str:
    """'1,234.56'; '–' when missing."""
    return "–" if _missing(value) else f"{value:,.2f}"


def count(value: int | float | None) -> str:
    """'1,234'; '–' when missing."""
    return "–" if _missing(value) else f"{int(value):,}"


def share(value: float | None) -> str:
    """'12.3%'; '–' when missing."""
    return "–" if _missing(value) else f"{100 * value:.1f}%"
