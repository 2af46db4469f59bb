"""The output layer as bars: one bar per output neuron, its length the activation, its value beside it.

The brightest output (the network's answer) is drawn in the highlight colour, the others in the
neuron colour; the true digit's label can be marked. Given the outputs at every snapshot of a
training run (S, classes), :meth:`OutputBars.show_at` shows snapshot ``s``: bar lengths move
smoothly between two snapshots, the numbers and the answer are the last snapshot reached's.

Example::

    from manim import Scene
    from nnviz import load_network, load_dataset
    from nnviz.visual.output_bars import OutputBars

    class Outputs(Scene):
        def construct(self):
            test = load_dataset()
            out = load_network().forward(test.inputs()[0]).output
            self.add(OutputBars(out, true_label=int(test.labels[0])))
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import RIGHT, Rectangle, Text, VGroup

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .playback import glyph_text, reached, replace_in_place


class OutputBars(VGroup):
    """Horizontal bars of output activations in [0, 1], labelled 0..classes-1 from the top.

    Parameters
    ----------
    values
        (classes,) activations, or (S, classes) for S snapshots.
    true_label
        Marks this row's label in the positive colour (None: no mark).
    bar_length, row_height
        Length of a bar at activation 1, and the distance between rows (manim units).

    Parts: ``labels`` (the digits), ``tracks`` (faint full-length outlines), ``bars``, ``numbers``.
    """

    def __init__(
        self,
        values: np.ndarray,
        true_label: int | None = None,
        bar_length: float = 2.0,
        row_height: float = 0.32,
        font_size: float | None = None,
        theme: Theme | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        self.theme = t
        stack = np.asarray(values, dtype=float)
        self.values = stack[None] if stack.ndim == 1 else stack
        if self.values.ndim != 2 or not np.all(np.isfinite(self.values)):
            raise NnvizError(f"output bars need finite (classes,) or (snapshots, classes) values, got {stack.shape}")
        if np.any(self.values < 0) or np.any(self.values > 1):
            raise NnvizError("output activations must lie in [0, 1]")
        self.bar_length, self.row_height = bar_length, row_height
        self.font_size = font_size or t.caption_font_size
        classes = self.values.shape[1]
        self.labels, self.tracks, self.bars, self.numbers = VGroup(), VGroup(), VGroup(), VGroup()
        for k in range(classes):
            y = -k * row_height
            color = t.positive if k == true_label else t.neuron_color
            self.labels.add(Text(str(k), font_size=self.font_size, color=color).move_to(np.array([-0.3, y, 0.0])))
            track = Rectangle(width=bar_length, height=row_height * 0.6, stroke_width=1, stroke_opacity=0.35)
            self.tracks.add(track.set_stroke(t.axis_color).move_to(np.array([bar_length / 2, y, 0.0])))
            bar = Rectangle(width=bar_length, height=row_height * 0.6, stroke_width=0, fill_opacity=1)
            self.bars.add(bar.move_to(np.array([bar_length / 2, y, 0.0])))
            self.numbers.add(self._number(0.0).next_to(track, RIGHT, buff=0.12))
        self.index = -1
        self.add(self.labels, self.tracks, self.bars, self.numbers)
        self.show_at(0.0)

    def _number(self, value: float) -> VGroup:
        return glyph_text(f"{value:.{self.theme.decimals}f}", self.font_size * 0.9, self.theme.neuron_color)

    def value_at(self, s: float) -> np.ndarray:
        """The bar lengths at fractional snapshot ``s`` (between two snapshots: in between)."""
        s = float(np.clip(s, 0, len(self.values) - 1))
        i = min(int(np.floor(s)), max(len(self.values) - 2, 0))
        if len(self.values) == 1:
            return self.values[0]
        t = s - i
        return (1 - t) * self.values[i] + t * self.values[i + 1]

    def show_at(self, s: float) -> OutputBars:
        """Bars at ``s``; numbers and the answer's colour from the last snapshot reached."""
        # A bar is its track cut at the value: corners set directly (cheaper than stretch and move).
        for bar, track, v in zip(self.bars, self.tracks, self.value_at(s)):
            ur, ul, dl, dr = track.get_vertices()  # a Rectangle's corners, in this order
            right = ul[0] + max(float(v) * self.bar_length, 1e-3)
            bar.set_points_as_corners(
                np.array([[right, ur[1], ur[2]], ul, dl, [right, dr[1], dr[2]], [right, ur[1], ur[2]]])
            )
        i = reached(s, len(self.values))
        if i != self.index:
            values = self.values[i]
            answer = int(np.argmax(values))
            for k, (bar, track, number) in enumerate(zip(self.bars, self.tracks, self.numbers)):
                bar.set_fill(self.theme.highlight if k == answer else self.theme.neuron_color, opacity=1)
                replace_in_place(number, self._number(float(values[k])).next_to(track, RIGHT, buff=0.12))
            self.index = i
        return self

    @property
    def answer(self) -> int:
        """The brightest output at the snapshot shown."""
        return int(np.argmax(self.values[max(self.index, 0)]))

    def row(self, k: int) -> VGroup:
        """Row k: its label, track, bar and number (for boxes and arrows)."""
        return VGroup(self.labels[k], self.tracks[k], self.bars[k], self.numbers[k])

    def moving_parts(self) -> VGroup:
        """The bars change continuously; numbers only between snapshots; labels and tracks stay still."""
        return VGroup(self.bars)


__all__ = ["OutputBars"]
