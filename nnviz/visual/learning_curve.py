"""A learning curve: a quantity measured during training (held-out accuracy, cost) against epochs.

The points are the snapshots' measurements, given by the caller (from
:class:`~nnviz.core.snapshots.Snapshots`); the curve is the polyline through them, drawn up to a
fractional snapshot index with :meth:`LearningCurve.show_at` (a straight segment between two
measured points, as any plot joins its points), with a dot at its head.

Example::

    from manim import Scene
    from nnviz import load_snapshots
    from nnviz.visual.learning_curve import LearningCurve
    from nnviz.visual.playback import play_snapshots

    class Curve(Scene):
        def construct(self):
            run = load_snapshots()
            curve = LearningCurve(run.epochs, run.accuracy, x_max=40, y_max=1, label="held-out accuracy")
            self.add(curve)
            play_snapshots(self, [curve], 0, len(run) - 1, seconds=0.2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, Text, VGroup, VMobject

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .axis_ticks import decimal_places, nice_step
from .playback import SnapshotText


def tick_text(value: float, step: float, percent: bool) -> str:
    """A tick label: '50%' for a percent axis, else the value with the step's decimals.

    >>> tick_text(0.5, 0.25, True), tick_text(20.0, 10.0, False), tick_text(0.5, 0.25, False)
    ('50%', '20', '0.50')
    """
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:.{decimal_places(step)}f}"


class LearningCurve(VGroup):
    """Measurements ``y`` at training times ``x`` (epochs) on axes [0, x_max] x [0, y_max].

    Points beyond ``x_max`` are not drawn (a plot of the first epoch shows only its snapshots).
    ``axes`` (with Text tick labels, ``label`` as the title above on the left and ``x_label`` right
    of the x axis), ``line`` and ``head`` are the parts; ``values`` (a text per point, e.g. '92.7%')
    adds ``value``, the current one above on the right. ``show_at(s)`` draws the curve up to
    fractional snapshot ``s``.
    """

    def __init__(
        self,
        x: Sequence[float] | np.ndarray,
        y: Sequence[float] | np.ndarray,
        x_max: float,
        y_max: float,
        label: str,
        x_label: str = "epochs",
        percent: bool = False,
        width: float = 4.0,
        height: float = 2.2,
        color: str | None = None,
        x_step: float | None = None,
        y_step: float | None = None,
        values: Sequence[str] | None = None,
        theme: Theme | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if self.x.shape != self.y.shape or self.x.ndim != 1 or len(self.x) == 0:
            raise NnvizError(f"a learning curve needs as many x as y values, got {self.x.shape} and {self.y.shape}")
        if not (x_max > 0 and y_max > 0):
            raise NnvizError("a learning curve needs x_max > 0 and y_max > 0")
        x_step = x_step or nice_step(x_max, ticks=4)
        y_step = y_step or nice_step(y_max, ticks=4)
        self.axes = Axes(
            x_range=[0, x_max, x_step],
            y_range=[0, y_max, y_step],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": t.axis_color, "stroke_width": 2, "tick_size": 0.05},
        )
        size = t.caption_font_size * 0.75
        ticks = VGroup()
        for v in np.arange(0, x_max + 1e-9, x_step):
            ticks.add(Text(tick_text(v, x_step, False), font_size=size).next_to(self.axes.c2p(v, 0), DOWN, buff=0.1))
        for v in np.arange(0, y_max + 1e-9, y_step):
            ticks.add(Text(tick_text(v, y_step, percent), font_size=size).next_to(self.axes.c2p(0, v), LEFT, buff=0.1))
        self.ticks = ticks
        self.title = Text(label, font_size=t.caption_font_size)
        self.title.next_to(self.axes, UP, buff=0.2).align_to(ticks, LEFT)
        self.x_title = Text(x_label, font_size=size).next_to(self.axes.x_axis, RIGHT, buff=0.15)
        self.curve_color = color or t.highlight
        self.visible = int(np.sum(self.x <= x_max + 1e-9))
        self.line = VMobject(stroke_color=self.curve_color, stroke_width=t.curve_width * 0.75)
        self.head = Dot(radius=0.05, color=self.curve_color)
        self.add(self.axes, ticks, self.title, self.x_title, self.line, self.head)
        self.value: SnapshotText | None = None
        if values is not None:
            if len(values) != len(self.x):
                raise NnvizError(f"a learning curve needs one value text per point: {len(values)} for {len(self.x)}")
            self.value = SnapshotText(
                values, font_size=t.caption_font_size, color=self.curve_color, edge=RIGHT, glyphs=True
            )
            self.value.next_to(self.axes, UP, buff=0.2).align_to(self.axes, RIGHT)
            self.add(self.value)
        self.show_at(0.0)

    def points_xy(self) -> np.ndarray:
        """The measured points in scene coordinates, wherever the plot is now."""
        key = (
            tuple(self.axes.x_axis.points[0]),
            tuple(self.axes.x_axis.points[-1]),
            tuple(self.axes.y_axis.points[-1]),
        )
        if getattr(self, "_points_key", None) != key:  # the plot moved or was scaled: map the points again
            origin = self.axes.c2p(0, 0)
            ex, ey = self.axes.c2p(1, 0) - origin, self.axes.c2p(0, 1) - origin
            self._points = origin + self.x[:, None] * ex + self.y[:, None] * ey
            self._points_key = key
        return self._points

    def point_at(self, s: float) -> np.ndarray:
        """Where the curve is at fractional snapshot ``s`` (on the segment between two points)."""
        points = self.points_xy()
        s = float(np.clip(s, 0, self.visible - 1))
        i = min(int(np.floor(s)), max(self.visible - 2, 0))
        if self.visible == 1:
            return points[0]
        t = s - i
        return (1 - t) * points[i] + t * points[i + 1]

    def show_at(self, s: float) -> LearningCurve:
        """Draw the curve through the snapshots up to ``s``, and the head dot at ``s``."""
        head = self.point_at(s)
        done = self.points_xy()[: int(np.floor(np.clip(s, 0, self.visible - 1))) + 1]
        corners = np.vstack([done, head[None]])
        self.line.set_points_as_corners(corners if len(corners) > 1 else np.vstack([head, head]))
        self.head.move_to(head)
        if self.value is not None:
            self.value.show_at(min(s, self.visible - 1))
        return self

    def moving_parts(self) -> VGroup:
        """The curve and its head (the value changes between snapshots only; the axes stay still)."""
        return VGroup(self.line, self.head)


__all__ = ["LearningCurve", "tick_text"]
