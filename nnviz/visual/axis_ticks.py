"""Tick steps for the axes and number lines of the plots: 1, 2 or 5 times a power of ten.

Example::

    from manim import NumberLine
    from nnviz.visual.axis_ticks import decimal_places, nice_step

    step = nice_step(20.0)                       # 2.0: ten ticks over [-5, 15]
    line = NumberLine(x_range=[-5, 15, step], include_numbers=True,
                      decimal_number_config={"num_decimal_places": decimal_places(step)})
"""

from __future__ import annotations

import numpy as np


def nice_step(span: float, ticks: int = 10) -> float:
    """A tick step giving at most about ``ticks`` ticks over ``span``: 1, 2 or 5 times a power of ten.

    >>> nice_step(10.0), nice_step(20.0), nice_step(1.0, ticks=5)
    (1.0, 2.0, 0.2)
    """
    raw = span / float(ticks)
    power = 10.0 ** np.floor(np.log10(raw))
    for factor in (1.0, 2.0, 5.0, 10.0):
        if raw <= factor * power:
            return float(factor * power)
    return float(10.0 * power)  # pragma: no cover


def decimal_places(step: float) -> int:
    """Decimal places that write every multiple of ``step`` exactly (0 for whole steps).

    >>> decimal_places(2.0), decimal_places(0.25)
    (0, 2)
    """
    for places in range(4):
        if abs(round(step, places) - step) < 1e-9:
            return places
    return 4


__all__ = ["decimal_places", "nice_step"]
