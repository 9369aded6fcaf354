"""Numbers for people, shared by every layer's text (summaries, comparisons, the CLI)."""

from __future__ import annotations

import numpy as np

__all__ = ["human"]


def human(value: float, unit: str = "") -> str:
    """A number with a thousands-scale suffix: 1.23 k, 4.56 M, 7.89 bn."""
    if value is None or not np.isfinite(value):
        return f"{value} {unit}".strip()
    if abs(value) < 1e-6:  # solver round-off
        return f"0 {unit}".rstrip()
    a = abs(value)
    for div, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if a >= div:
            return f"{value / div:,.3g}{suffix} {unit}".rstrip()
    return f"{value:,.3g} {unit}".rstrip()
