"""Scene 9 — the bias: how high the weighted sum must be before the neuron lights up.

The hand-set edge detector of scene 7 (positive weights in a horizontal band, negative just above
and below) is built twice as a real core ``Network([784, 1])``: without a bias and with the bias
``b = -10``. On two real digits — the lesson's digit and the held-out digit whose weighted sum is
closest to ``weak_sum`` — the core computes ``z = w·a``, ``sigma(z)`` and ``sigma(z + b)``; the
sigmoid plot slides by the bias (:meth:`~nnviz.ActivationPlot.shift_bias`) and the two points
ride along the real curve.

Render::

    manim render -ql scenes/bias.py Bias
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    MathTex,
    Text,
    Transform,
    UpdateFromFunc,
    VGroup,
    Write,
)

from nnviz import (
    ActivationPlot,
    LessonScene,
    Network,
    Neuron,
    PixelGrid,
    RoleMathTex,
    WeightedSum,
    band_weights,
    detector_network,
    load_dataset,
    tex_number,
)


class Bias(LessonScene):
    """A bias of -10 makes the edge detector light up only when its weighted sum passes 10."""

    #: The bias added to the detector.
    bias: float = -10.0
    #: The second example: the held-out digit whose bias-free weighted sum is closest to this.
    weak_sum: float = 5.0
    #: Plot x range (widened to hold both sums) and size.
    x_range: tuple[float, float] = (-10.0, 25.0)
    plot_width: float = 5.6
    plot_height: float = 3.4
    #: Layout: x of the digits, the numbers and the neurons; y of the two rows.
    columns: tuple[float, float, float] = (-6.1, -5.05, -0.2)
    row_ys: tuple[float, float] = (1.0, -1.9)
    digit_height: float = 1.6
    detector_height: float = 1.1
    neuron_radius: float = 0.3
    #: Typography by role (nnviz.theme): the rows' sums are set smaller than the formula above them.
    theme_overrides: ClassVar[dict[str, float]] = {"caption_font_size": 26, "small_math_font_size": 36}
    #: Seconds: the pause after each beat.
    pause: float = 1.5

    def construct(self) -> None:
        self.compute_examples()
        self.want_a_threshold()
        self.without_bias()
        self.add_bias()
        self.with_bias()

    # -- the numbers ----------------------------------------------------------------------------
    def detector_weights(self) -> np.ndarray:
        """The hand-set 28x28 weights of scene 7: positive in a horizontal band, negative above and below."""
        return band_weights()

    def detector(self, bias: float) -> Network:
        """The detector as a real one-neuron core network with the given bias."""
        return detector_network([self.detector_weights()], [bias])

    def compute_examples(self) -> None:
        """Two digits, each with z = w·a, sigma(z) and sigma(z + b), all from the core's forward pass."""
        plain, biased = self.detector(0.0), self.detector(self.bias)
        test = load_dataset()
        inputs = test.inputs()
        sums = plain.forward(inputs).weighted_sums[0][:, 0]
        weak = int(np.argmin(np.abs(sums - self.weak_sum)))
        self.examples = []
        for name, pixels, what in (
            ("A", self.digit.pixels, self.digit.description),
            ("B", inputs[weak], f"test digit #{weak} (a {test.labels[weak]})"),
        ):
            before, after = plain.forward(pixels), biased.forward(pixels)
            self.examples.append(
                {
                    "name": name,
                    "pixels": pixels,
                    "what": what,
                    "z": float(before.weighted_sums[0][0]),
                    "a": float(before.activations[1][0]),
                    "z_b": float(after.weighted_sums[0][0]),
                    "a_b": float(after.activations[1][0]),
                }
            )
        lo = min(self.x_range[0], *(np.floor(e["z"]) - 1 for e in self.examples))
        hi = max(self.x_range[1], *(np.ceil(e["z"]) + 1 for e in self.examples), -self.bias + 2)
        self.plot_range = (float(lo), float(hi))

    # -- beats ----------------------------------------------------------------------------------
    def want_a_threshold(self) -> None:
        a, b = self.examples
        self.beat(
            "want_a_threshold",
            notes=f"Our edge detector gives a weighted sum of {a['z']:.2f} for digit A and {b['z']:.2f} for "
            f"digit B. Maybe it should only light up when the sum is bigger than {-self.bias:g}.",
        )
        formula = WeightedSum(n_terms=2, font_size=self.theme.math_font_size).to_corner(UP + RIGHT, buff=0.4)
        self.formula = formula
        weights = PixelGrid.from_weights(self.detector_weights(), individual=False)
        weights.scale_to_fit_height(self.detector_height).to_corner(UP + LEFT, buff=0.3)
        detector = VGroup(
            weights, Text("the hand-set edge detector", font_size=self.theme.caption_font_size).next_to(weights, RIGHT)
        )
        self.rows = VGroup()
        for example, y in zip(self.examples, self.row_ys):
            self.rows.add(self._row(example, y))
        wish = Text(
            f"light up only when the sum is bigger than {-self.bias:g}?", font_size=self.theme.text_font_size
        ).to_edge(DOWN, buff=0.35)
        self.wish = wish
        self.play(FadeIn(detector), Write(formula), run_time=1.2)
        self.play(*(FadeIn(VGroup(r.name, r.digit, r.sum)) for r in self.rows), run_time=1.0)
        self.play(FadeIn(wish), run_time=0.8)
        self.wait(self.pause)

    def without_bias(self) -> None:
        a, b = self.examples
        self.beat(
            "without_bias",
            notes=f"Without a bias the sigmoid gives {a['a']:.2f} and {b['a']:.2f}: both light up, "
            "even the weak match.",
        )
        plot = ActivationPlot("sigmoid", x_range=self.plot_range, width=self.plot_width, height=self.plot_height)
        plot.to_edge(RIGHT, buff=0.5).shift(0.5 * DOWN)
        self.plot = plot
        self.marks = VGroup(*(self._mark(e["z"], e["name"]) for e in self.examples))
        self.play(FadeOut(self.wish), Create(plot.axes), FadeIn(plot.x_label), FadeIn(plot.y_label), run_time=1.0)
        self.play(Create(plot.curve), run_time=1.2)
        self.play(
            FadeIn(self.marks),
            *(FadeIn(VGroup(r.activation, r.neuron, r.value)) for r in self.rows),
            run_time=1.0,
        )
        self.wait(self.pause)

    def add_bias(self) -> None:
        self.beat(
            "add_bias",
            notes=f"Add a bias of {self.bias:g} before the sigmoid: the curve slides {-self.bias:g} to "
            f"the right, and now the sum has to pass {-self.bias:g} before the neuron lights up.",
        )
        b_part = self.formula.parts_of("bias")
        value = RoleMathTex(
            [("b", "bias"), ("=", None), (tex_number(self.bias, 0), None)], font_size=self.theme.small_math_font_size
        )
        value.next_to(self.formula, DOWN, buff=0.25)
        self.bias_value = value
        # Only the parts that change are drawn each frame: they go last in the drawing order
        # (nothing else on screen lies under them, so the picture is the same).
        self.bring_to_front(b_part)
        self.play(FadeIn(value, shift=0.2 * DOWN), b_part.animate.scale(1.3), run_time=1.0)
        plot = self.plot
        self.bring_to_front(plot.y_label, plot.curve, self.marks)
        self.play(plot.shift_bias(self.bias, run_time=2.0), UpdateFromFunc(self.marks, self._follow_curve))
        line = self.plot.threshold_line()
        self.bring_to_front(b_part)
        self.play(Create(line), b_part.animate.scale(1 / 1.3), run_time=0.8)
        self.wait(self.pause)

    def with_bias(self) -> None:
        a, b = self.examples
        self.beat(
            "with_bias",
            notes=f"With the bias, digit A gives sigma of {a['z_b']:.2f}, that is {a['a_b']:.2f}; digit B "
            f"gives sigma of {b['z_b']:.2f}, that is {b['a_b']:.2f}. The bias sets how high the weighted "
            "sum must be before the neuron gets meaningfully active.",
        )
        changes = []
        for row, example in zip(self.rows, self.examples):
            activation = self._activation_tex(example["z_b"], example["a_b"], biased=True)
            activation.move_to(row.activation, aligned_edge=LEFT)
            changes += [
                Transform(row.activation, activation),
                row.neuron.animate.set_fill(opacity=float(np.clip(example["a_b"], 0, 1))),
                Transform(row.value, self._value_tex(example["a_b"]).move_to(row.value)),
            ]
        self.bring_to_front(*(part for row in self.rows for part in (row.activation, row.neuron, row.value)))
        self.play(*changes, run_time=1.5)
        self.wait(self.pause + 1.0)

    # -- helpers --------------------------------------------------------------------------------
    def _row(self, example: dict, y: float) -> VGroup:
        """A digit with its name, its sum z = w·a, its activation, and a neuron lit to it."""
        x_digit, x_text, x_neuron = self.columns
        digit = PixelGrid(example["pixels"], individual=False).scale_to_fit_height(self.digit_height)
        digit.move_to([x_digit, y, 0])
        name = Text(example["name"], font_size=self.theme.text_font_size).next_to(digit, UP, buff=0.12)
        total = RoleMathTex(
            [
                ("z", None),
                ("=", None),
                ("w", "weight"),
                (r"\cdot", None),
                ("a", "activation"),
                ("=", None),
                (tex_number(example["z"]), "result"),
            ],
            font_size=self.theme.small_math_font_size,
        ).move_to([x_text, y + 0.35, 0], aligned_edge=LEFT)
        activation = self._activation_tex(example["z"], example["a"], biased=False)
        activation.move_to([x_text, y - 0.4, 0], aligned_edge=LEFT)
        neuron = Neuron(radius=self.neuron_radius).set_activation(example["a"])
        neuron.move_to([x_neuron, y + 0.15, 0])
        value = self._value_tex(example["a"]).next_to(neuron, DOWN, buff=0.12)
        row = VGroup(name, digit, total, activation, neuron, value)
        row.name, row.digit, row.sum, row.activation = name, digit, total, activation  # type: ignore[attr-defined]
        row.neuron, row.value = neuron, value  # type: ignore[attr-defined]
        return row

    def _activation_tex(self, z: float, a: float, biased: bool) -> RoleMathTex:
        """``σ(z) = a``, or ``σ(z + b) = a`` with z + b the biased network's weighted sum."""
        arg = "z + b" if biased else "z"
        return RoleMathTex(
            [
                (r"\sigma", "function"),
                (f"({arg})", None),
                ("=", None),
                (r"\sigma", "function"),
                (f"({tex_number(z)})", None),
                ("=", None),
                (tex_number(a), "result"),
            ],
            font_size=self.theme.label_font_size,  # set like the plot's labels beside it
        )

    def _value_tex(self, a: float) -> MathTex:
        return MathTex(tex_number(a), font_size=self.theme.number_font_size)

    def _mark(self, z: float, name: str) -> VGroup:
        """A dot at (z, sigma(z + b)) on the plot's curve with a dashed guide down to the axis, named ``name``.

        It rides on the curve while the bias slides (:meth:`_follow_curve`).
        """
        label = Text(name, font_size=self.theme.caption_font_size)
        mark = VGroup(self._guide(z), Dot(radius=0.08, color=self.theme.neuron_color), label)
        mark.z = z  # type: ignore[attr-defined]
        return self._place_mark(mark)

    def _guide(self, z: float) -> DashedLine:
        """The dashed guide from the x axis up to the curve at z (its dashes depend on its length)."""
        plot = self.plot
        return DashedLine(
            plot.axes.c2p(z, plot.y_range[0]),
            plot.point_at(z),
            color=self.theme.axis_color,
            stroke_width=2,
            dash_length=0.08,
        )

    def _place_mark(self, mark: VGroup) -> VGroup:
        """Put a mark's guide, dot and name where the curve now passes over its z."""
        guide, dot, label = mark.submobjects
        z = mark.z  # type: ignore[attr-defined]
        point = self.plot.point_at(z)
        guide.become(self._guide(z))
        dot.move_to(point)
        label.next_to(point, UP + LEFT, buff=0.08)
        return mark

    def _follow_curve(self, marks: VGroup) -> None:
        """Each frame of a bias slide: every mark back on the curve."""
        for mark in marks:
            self._place_mark(mark)


__all__ = ["Bias"]
