r"""The real number line squished onto ``[0, 1]`` by the sigmoid, the core's sigmoid.

Example::

    from manim import Scene
    from nnviz.visual import SquishedNumberLine

    class Squish(Scene):
        def construct(self):
            squish = SquishedNumberLine()
            self.add(squish)
            self.play(squish.squish())
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    Animation,
    AnimationGroup,
    ApplyPointwiseFunction,
    Create,
    Dot,
    Line,
    MathTex,
    NumberLine,
    TransformFromCopy,
    VGroup,
    VMobject,
)

from ..core.activations import sigmoid
from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .axis_ticks import decimal_places, nice_step
from .tex import RoleMathTex


class SquishedNumberLine(VGroup):
    r"""The real number line above a ``[0, 1]`` segment; :meth:`squish` maps it through the sigmoid.

    ``values`` (default: the integers of ``x_range``) are dots on the line. :meth:`squish` moves
    a copy of each dot to ``sigmoid(x)`` on the segment and squeezes a copy of the line's ticks
    the same way, so the ticks pile up near 0 and 1. Positions come from the core's sigmoid.

    Parts: ``line``, ``dots``, ``x_label``, ``segment``, ``segment_labels``, ``function_label``; after
    :meth:`squish`, ``images`` (the mapped dots), ``connectors`` and ``squished_ticks``.

    Example::

        class Squish(Scene):
            def construct(self):
                squish = SquishedNumberLine()
                self.add(squish)
                self.play(squish.squish())
    """

    def __init__(
        self,
        x_range: tuple[float, float] = (-5.0, 5.0),
        values: Sequence[float] | None = None,
        length: float = 12.0,
        segment_length: float = 6.0,
        gap: float = 2.2,
        theme: Theme | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = self.theme = get_theme(theme)
        x_min, x_max = (float(v) for v in x_range)
        if not x_min < x_max:
            raise NnvizError(f"x_range {x_range}: need min < max")
        self.x_range = (x_min, x_max)
        self.values = np.asarray(
            np.arange(np.ceil(x_min), np.floor(x_max) + 1) if values is None else values, dtype=float
        )
        if np.any((self.values < x_min) | (self.values > x_max)):
            raise NnvizError(f"every value must lie in x_range {x_range}")
        step = nice_step(x_max - x_min)
        self.line = NumberLine(
            x_range=[x_min, x_max, step],
            length=length,
            color=t.axis_color,
            include_numbers=True,
            font_size=t.label_font_size * 0.8,
            decimal_number_config={"num_decimal_places": decimal_places(step)},
        )
        self.segment: NumberLine = NumberLine(
            x_range=[0, 1, 0.5],
            length=segment_length,
            color=t.axis_color,
            include_numbers=False,
        ).shift(gap * DOWN)
        self.segment_labels = VGroup(
            *(
                MathTex(text, font_size=t.label_font_size).next_to(self.segment.n2p(v), DOWN, buff=0.25)
                for v, text in ((0, "0"), (0.5, "0.5"), (1, "1"))
            )
        )
        self.dots = VGroup(*(Dot(self.line.n2p(v), radius=0.07, color=t.neuron_color) for v in self.values))
        # "x" names the line and "sigma(x)" the segment, at their right ends, clear of the map.
        self.x_label = MathTex("x", font_size=t.label_font_size).next_to(self.line, RIGHT, buff=0.25)
        self.function_label = RoleMathTex(
            [(r"\sigma", "function"), ("(x)", None)], theme=t, font_size=t.label_font_size
        ).next_to(self.segment, RIGHT, buff=0.3)
        self.add(self.line, self.dots, self.segment, self.segment_labels, self.x_label, self.function_label)
        self.center()
        self.images: VGroup | None = None
        self.connectors: VGroup | None = None
        self.squished_ticks: VMobject | None = None

    def image_position(self, x: float) -> np.ndarray:
        """Where x lands on the segment: ``segment.n2p(sigmoid(x))``."""
        return self.segment.n2p(float(sigmoid(np.asarray(float(x)))))

    def squish(self, run_time: float | None = None, lag_ratio: float = 0.05) -> Animation:
        """Map the line through the sigmoid onto the segment (see the class docstring).

        The mapped dots (``images``, in ``theme.highlight``) and ticks become part of this group.
        """
        t = self.theme.shift_time if run_time is None else run_time
        if t <= 0:
            raise NnvizError(f"run_time is {t}: pass a positive number of seconds, or None for theme.shift_time")
        self.images = VGroup(
            *(Dot(self.image_position(v), radius=0.07, color=self.theme.highlight) for v in self.values)
        )
        line, segment = self.line, self.segment

        def through_sigmoid(p: np.ndarray) -> np.ndarray:
            x = line.p2n(p)
            target = segment.n2p(float(sigmoid(np.asarray(x))))
            # Keep each tick's height about the line, move it onto the segment.
            return target + (p - line.n2p(x))

        ticks = line.ticks.copy()
        self.squished_ticks = ticks
        # Faint lines from each x to sigmoid(x): the map itself, drawn as the dots travel.
        self.connectors = VGroup(
            *(
                Line(
                    dot.get_center(),
                    image.get_center(),
                    color=self.theme.axis_color,
                    stroke_width=1.5,
                    stroke_opacity=0.5,
                )
                for dot, image in zip(self.dots, self.images)
            )
        )
        self.add(self.connectors, ticks, self.images)
        # manim 0.22 annotates the function as types.MethodType; any point -> point callable works
        return AnimationGroup(
            ApplyPointwiseFunction(through_sigmoid, ticks),  # type: ignore[arg-type]
            AnimationGroup(
                *(
                    AnimationGroup(Create(connector), TransformFromCopy(dot, image))
                    for dot, connector, image in zip(self.dots, self.connectors, self.images)
                ),
                lag_ratio=lag_ratio,
            ),
            run_time=t,
        )


__all__ = ["SquishedNumberLine"]
