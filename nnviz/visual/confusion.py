"""The confusion matrix as a grid: how often each true digit (row) got each answer (column).

``counts[i, j]`` comes from :func:`nnviz.core.training.confusion_matrix`. Each cell holds its
count; its colour says right or wrong (the diagonal in the positive colour, mistakes in the
negative one) and its opacity the share of row i's digits that got answer j,
``(count / row total) ** 0.5`` (the square root keeps a handful of mistakes visible beside a
diagonal of hundreds). Empty cells stay black and blank.

Example::

    from manim import Scene
    from nnviz import load_network, load_dataset
    from nnviz.core.training import confusion_matrix
    from nnviz.visual.confusion import ConfusionGrid

    class Confusion(Scene):
        def construct(self):
            test = load_dataset()
            self.add(ConfusionGrid(confusion_matrix(load_network(), test.images, test.labels)))
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from manim import LEFT, PI, UP, Square, Text, VGroup

from ..core.errors import NnvizError
from ..theme import Theme, get_theme


class ConfusionGrid(VGroup):
    """A (classes x classes) grid of counts: rows the true digit, columns the network's answer.

    ``cells`` (row by row), ``numbers`` (the non-zero counts), ``row_labels``, ``column_labels``
    and the two axis titles are the parts; ``cell(i, j)`` is one square.
    """

    def __init__(
        self,
        counts: np.ndarray,
        cell_size: float = 0.5,
        opacity_power: float = 0.5,
        theme: Theme | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        c = np.asarray(counts)
        if c.ndim != 2 or c.shape[0] != c.shape[1] or c.size == 0 or c.dtype.kind not in "iu" or np.any(c < 0):
            raise NnvizError(f"a confusion grid needs a square matrix of counts >= 0, got shape {c.shape}")
        self.counts = c
        n = c.shape[0]
        totals = np.maximum(c.sum(axis=1, keepdims=True), 1)
        self.shares = c / totals
        self.cells, self.numbers = VGroup(), VGroup()
        font = t.caption_font_size * min(1.0, cell_size / 0.5) * 0.8
        for i in range(n):
            for j in range(n):
                color = t.positive if i == j else t.negative
                square = Square(side_length=cell_size, stroke_color=t.axis_color, stroke_width=1, stroke_opacity=0.4)
                square.set_fill(color, opacity=float(self.shares[i, j] ** opacity_power))
                square.move_to(np.array([j * cell_size, -i * cell_size, 0.0]))
                self.cells.add(square)
                if c[i, j]:
                    label = Text(str(int(c[i, j])), font_size=font).move_to(square)
                    self.numbers.add(label)
        self.row_labels = VGroup(
            *(Text(str(i), font_size=t.caption_font_size).next_to(self.cell(i, 0), LEFT, buff=0.15) for i in range(n))
        )
        self.column_labels = VGroup(
            *(Text(str(j), font_size=t.caption_font_size).next_to(self.cell(0, j), UP, buff=0.15) for j in range(n))
        )
        self.row_title = Text("true digit", font_size=t.caption_font_size).rotate(PI / 2)
        self.row_title.next_to(self.row_labels, LEFT, buff=0.2)
        self.column_title = Text("the network's answer", font_size=t.caption_font_size)
        self.column_title.next_to(self.column_labels, UP, buff=0.2)
        self.add(self.cells, self.numbers, self.row_labels, self.column_labels, self.row_title, self.column_title)
        self.center()

    def cell(self, i: int, j: int) -> Square:
        """The square of true digit i, answer j."""
        n = self.counts.shape[0]
        if not (0 <= i < n and 0 <= j < n):
            raise NnvizError(f"cell ({i}, {j}) is outside a {n}x{n} grid")
        return cast(Square, self.cells[i * n + j])


__all__ = ["ConfusionGrid"]
