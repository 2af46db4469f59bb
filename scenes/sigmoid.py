"""Scene 8 — the sigmoid squishes any weighted sum into (0, 1).

The weighted sums of the first hidden layer for the lesson's digit (``self.trace``) stand on
the real number line: they can be any number, far beyond [0, 1]. :class:`~nnviz.SquishedNumberLine`
maps them through the core's sigmoid onto [0, 1]; then sigma(x) = 1 / (1 + e^-x) is drawn
(:class:`~nnviz.ActivationPlot`) with one neuron's real weighted sum marked on the curve.

Render::

    manim render -ql scenes/sigmoid.py Sigmoid
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Text,
    Write,
)

from nnviz import ActivationPlot, LessonScene, RoleMathTex, SquishedNumberLine


class Sigmoid(LessonScene):
    """The weighted sums of a real layer squished into [0, 1], and the sigmoid curve itself."""

    #: The first hidden neuron whose weighted sum is marked on the curve; ``None`` picks the one
    #: whose weighted sum for the lesson's digit is closest to 0 (where the curve is steepest).
    neuron: int | None = None
    #: Half-width of the sigmoid plot's x range (widened if the marked sum lies outside).
    plot_half_range: float = 6.0
    #: Typography by role (nnviz.theme): the sigmoid's formula is set large.
    theme_overrides: ClassVar[dict[str, float]] = {"math_font_size": 48}
    #: Sizes of the number lines (manim units).
    line_length: float = 12.0
    segment_length: float = 7.0
    #: Seconds: squishing, drawing the curve, the pause after each beat.
    squish_time: float = 3.0
    curve_time: float = 2.0
    pause: float = 1.5

    def construct(self) -> None:
        self.any_number()
        self.squish_into_unit_interval()
        self.show_formula()
        self.mark_real_neuron()

    # -- the numbers ----------------------------------------------------------------------------
    @property
    def weighted_sums(self) -> np.ndarray:
        """z(1): the weighted sums of the first hidden layer for the lesson's digit."""
        return np.asarray(self.trace.weighted_sums[0], dtype=float)

    @property
    def chosen(self) -> int:
        if self.neuron is not None:
            return int(self.neuron)
        return int(np.argmin(np.abs(self.weighted_sums)))

    # -- beats ----------------------------------------------------------------------------------
    def any_number(self) -> None:
        z = self.weighted_sums
        self.beat(
            "any_number",
            notes=f"A weighted sum can be any number: for this digit the {len(z)} first-layer sums run from "
            f"{z.min():.1f} to {z.max():.1f}. But an activation should lie between 0 and 1.",
        )
        reach = float(np.max(np.abs(z)))
        half = 10.0 * np.ceil(reach / 10.0)
        self.squish = SquishedNumberLine(
            x_range=(-half, half),
            values=z,
            length=self.line_length,
            segment_length=self.segment_length,
            gap=3.0,
        )
        self.squish.shift(0.2 * DOWN)
        s = self.squish
        title = Text(
            f"The {len(z)} weighted sums of layer 1 for {self._digit_name()}",
            font_size=self.theme.text_font_size,
        ).to_edge(UP, buff=0.45)
        self.title = title
        self.range_caption = Text(
            f"from {z.min():.2f} to {z.max():.2f}: far outside [0, 1]", font_size=self.theme.text_font_size
        ).to_edge(DOWN, buff=0.5)
        self.play(Write(title), Create(s.line), FadeIn(s.x_label), run_time=1.5)
        self.play(FadeIn(s.dots, lag_ratio=0.1), run_time=1.5)
        self.play(FadeIn(self.range_caption), run_time=0.8)
        self.wait(self.pause)

    def squish_into_unit_interval(self) -> None:
        self.beat(
            "squish",
            notes="The sigmoid squishes the whole number line into the interval from 0 to 1: very "
            "negative sums land near 0, very positive ones near 1.",
        )
        s = self.squish
        caption = Text(
            "very negative sums land near 0, very positive ones near 1", font_size=self.theme.text_font_size
        ).to_edge(DOWN, buff=0.5)
        self.caption = caption
        self.play(
            Create(s.segment),
            FadeIn(s.segment_labels),
            FadeIn(s.function_label),
            FadeOut(self.range_caption),
            run_time=1.0,
        )
        self.play(s.squish(run_time=self.squish_time))
        self.play(FadeIn(caption), run_time=0.8)
        self.wait(self.pause)

    def show_formula(self) -> None:
        self.beat(
            "formula",
            notes="The function is the sigmoid, or logistic curve: sigma of x is 1 over 1 plus e to the minus x.",
        )
        formula = RoleMathTex(
            [(r"\sigma", "function"), ("(x)", None), ("=", None), (r"\frac{1}{1+e^{-x}}", None)],
            font_size=self.theme.math_font_size,
        ).to_edge(UP, buff=0.4)
        self.formula = formula
        self.play(FadeOut(self.squish), FadeOut(self.title), FadeOut(self.caption), run_time=0.8)
        self.play(Write(formula), run_time=1.5)
        self.wait(self.pause)

    def mark_real_neuron(self) -> None:
        k = self.chosen
        z = float(self.weighted_sums[k])
        half = max(self.plot_half_range, float(np.ceil(abs(z))) + 1.0)
        plot = ActivationPlot("sigmoid", x_range=(-half, half))
        plot.next_to(self.formula, DOWN, buff=0.6)
        plot.set_x(0)
        mark = plot.mark(z)  # sigma(z) computed by the core's sigmoid
        self.beat(
            "real_neuron",
            notes=f"First-layer neuron {k} has the weighted sum {z:.2f} for this digit; "
            f"the sigmoid turns it into {mark.activation:.2f}.",
        )
        caption = Text(f"neuron {k} of layer 1", font_size=self.theme.text_font_size).next_to(plot, DOWN, buff=0.35)
        self.play(Create(plot.axes), FadeIn(plot.x_label), FadeIn(plot.y_label), run_time=1.0)
        self.play(Create(plot.curve), run_time=self.curve_time)
        self.play(FadeIn(mark), FadeIn(caption), run_time=1.0)
        self.wait(self.pause + 1.0)

    # -- helpers --------------------------------------------------------------------------------
    def _digit_name(self) -> str:
        label = self.digit.label
        return "this digit" if label is None else f"this {label}"


__all__ = ["Sigmoid"]
