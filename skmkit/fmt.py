"""Indonesian number formatting: decimal comma, thousands dot (87,28; 1.250)."""
from __future__ import annotations

from .survey import round_half_up

__all__ = ["number", "percent"]


def number(value, digits: int = 0) -> str:
    """Format a number the Indonesian way, rounded half-up.

    Examples
    --------
    >>> number(1250), number(87.275, 2), number(0.5, 1)
    ('1.250', '87,28', '0,5')
    """
    if value is None or value != value:
        return "-"
    v = round_half_up(float(value), digits)
    text = f"{abs(v):,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if v < 0 else "") + text


def percent(value, digits: int = 1) -> str:
    """Format a fraction as an Indonesian percentage (``0.257`` -> ``25,7%``)."""
    if value is None or value != value:
        return "-"
    return number(float(value) * 100, digits) + "%"
