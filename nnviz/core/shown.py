"""Which neurons of a large layer a picture of the network shows.

One function decides it for every picture nnviz draws: the manim diagram (its shown
neurons' activations and the weights of their edges alike) and the draw-a-digit page.
"""

from __future__ import annotations

import numpy as np

from .errors import NnvizError


def shown_indices(size: int, shown: int, *, image: bool = True) -> np.ndarray:
    """Which of a layer's ``size`` neurons a diagram shows when it shows only ``shown`` of them.

    The one place that decides it: a :class:`NetworkDiagram` uses these indices both for the
    activations its shown neurons display and for the weights its shown edges carry.

    * ``shown >= size``: every neuron, ``0 .. size-1``.
    * An image-like layer (``image=True`` and ``size`` a square number n*n with n >= 8, as the
      784 = 28x28 inputs): evenly spaced positions, in reading order, over the central region of
      the image (the middle 20x20 of 28x28, where MNIST centres its digits), so the shown input
      neurons sample the pixels a digit actually lights instead of the always-black border.
    * Otherwise: evenly spaced over ``0 .. size-1`` (first and last included).

    Deterministic, sorted ascending (top of the column first), no repeats.

    >>> shown_indices(784, 16)[:4].tolist()
    [116, 151, 185, 228]
    >>> shown_indices(10, 16).tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    size, shown = int(size), int(shown)
    if size < 0 or shown < 0:
        raise NnvizError(f"size {size} and shown {shown}: both must be >= 0 (a layer's size, how many to show)")
    if shown >= size:
        return np.arange(size)
    if shown == 0:
        return np.arange(0)
    side = int(round(np.sqrt(size)))
    if image and side * side == size and side >= 8:
        margin = int(round(side * 4 / 28))
        inner = side - 2 * margin
        if inner * inner >= shown:
            picks = np.rint(np.linspace(0, inner * inner - 1, shown)).astype(int)
            rows, cols = np.divmod(picks, inner)
            return np.unique((rows + margin) * side + cols + margin)
    return np.unique(np.rint(np.linspace(0, size - 1, shown)).astype(int))
