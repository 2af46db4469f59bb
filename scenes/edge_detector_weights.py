"""Scene 7 — weights pick out a pattern of pixels.

One neuron of the first hidden layer (layer 1): its 784 incoming edges, each carrying a weight of
``self.network``, rearrange into a 28x28 grid (:func:`~nnviz.edges_to_grid`); multiplied pixel by
pixel with the lesson's digit they give the weighted sum ``w1 a1 + ... + w784 a784``, written with
the neuron's real numbers (:class:`~nnviz.WeightedSum`).

Then a hand-set edge detector: a 28x28 weight grid, positive in a horizontal band and negative just
above and below it, built as a real core ``Network([784, 1])``. Its weighted sums and activations
on two real test digits — the one of the 1,500 held-out digits it responds to most, and the one it
responds to least — are computed by the core's forward pass.

Render::

    manim render -ql scenes/edge_detector_weights.py EdgeDetectorWeights
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    FadeIn,
    FadeOut,
    GrowArrow,
    MathTex,
    Text,
    VGroup,
    Write,
)

from nnviz import (
    LessonScene,
    Network,
    NetworkDiagram,
    Neuron,
    PixelGrid,
    RoleMathTex,
    WeightedSum,
    band_weights,
    detector_network,
    edges_to_grid,
    highlight_incoming,
    load_dataset,
    tex_number,
    weight_strength,
)


class EdgeDetectorWeights(LessonScene):
    """A real neuron's weights as a grid, then a hand-set edge detector on real digits."""

    #: The first-hidden-layer neuron shown; ``None`` picks the one the lesson's digit lights most.
    neuron: int | None = None
    #: Sizes (manim units / points).
    diagram_height: float = 5.8
    edge_grid_height: float = 3.2
    #: Stroke width of the chosen neuron's edges ~ (|w| / max|w_k|) ** this (see _widen_incoming).
    incoming_width_power: float = 0.7
    grid_height: float = 2.5
    row_grid_height: float = 1.8
    closeup_radius: float = 0.35
    #: The detector beats: x of the weight grid; x of the digit, product, sum and neuron columns;
    #: y of the two example rows.
    detector_x: float = -5.1
    columns: tuple[float, float, float, float] = (-1.9, 0.9, 2.35, 5.9)
    row_ys: tuple[float, float] = (1.45, -1.75)
    #: Typography by role (nnviz.theme): small headings; the sum in numbers a size below the symbols.
    theme_overrides: ClassVar[dict[str, float]] = {
        "title_font_size": 30,
        "text_font_size": 26,
        "small_math_font_size": 36,
        "number_font_size": 32,
    }
    #: Seconds: the pause after each beat.
    pause: float = 1.5

    def construct(self) -> None:
        self.single_out_neuron()
        self.edges_become_grid()
        self.weighted_sum()
        self.hand_set_detector()
        self.detector_on_digits()

    # -- the numbers ----------------------------------------------------------------------------
    @property
    def chosen(self) -> int:
        """The neuron of layer 1 shown: ``neuron``, or the most active one for the lesson's digit."""
        if self.neuron is not None:
            return int(self.neuron)
        return int(np.argmax(self.trace.activations[1]))

    @property
    def n_inputs(self) -> int:
        """How many pixels (input neurons) feed each first-layer neuron."""
        return self.network.sizes[0]

    def detector_weights(self) -> np.ndarray:
        """The hand-set 28x28 weights: positive in a horizontal band, negative just above and below."""
        return band_weights()

    def detector(self) -> Network:
        """The hand-set edge detector as a real one-neuron core network (bias 0)."""
        return detector_network([self.detector_weights()])

    # -- beats ----------------------------------------------------------------------------------
    def single_out_neuron(self) -> None:
        k = self.chosen
        self.beat(
            "one_neuron",
            notes=f"Take one neuron of the first hidden layer, neuron {k}. Every one of the {self.n_inputs} "
            "input pixels is connected to it, and every connection carries a weight.",
        )
        self.diagram = NetworkDiagram(self.network)
        self.diagram.scale_to_fit_height(self.diagram_height).to_edge(RIGHT, buff=0.4).shift(0.35 * DOWN)
        title = Text(
            f"neuron {k} of layer 1: one weight on each incoming edge", font_size=self.theme.title_font_size
        ).to_edge(UP, buff=0.3)
        self.title = title
        self.play(FadeIn(self.diagram), Write(title), run_time=1.5)
        self.play(highlight_incoming(self.diagram, 1, k, run_time=1.2), self._widen_incoming(k))
        self.wait(self.pause)

    def _widen_incoming(self, k: int) -> AnimationGroup:
        """Neuron k's drawn edges at widths scaled to its own largest weight, so they can be seen.

        The diagram scales every first-layer edge by max|W| of the whole matrix, which leaves one
        neuron's 16 drawn edges hair-thin; here width = ``max_edge_width * (|w| / max|w_k|) **
        incoming_width_power``, still ordered by |w|.
        """
        w = self.network.weights[0][k]
        scale = float(np.max(np.abs(w)))
        edges = self.diagram.incoming_edges(1, k)
        widths = self.theme.max_edge_width * weight_strength(
            [e.weight for e in edges], scale, self.incoming_width_power
        )
        return AnimationGroup(*(e.animate.set_stroke(width=float(wd)) for e, wd in zip(edges, widths)), run_time=1.2)

    def edges_become_grid(self) -> None:
        k = self.chosen
        rows, cols = self.digit.pixels.shape
        self.beat(
            "edges_to_grid",
            notes=f"Arrange those {self.n_inputs} weights the way the pixels are arranged: a {rows} by {cols} "
            "grid, blue where the weight is positive, red where it is negative.",
        )
        grid = PixelGrid.from_weights(self.network.weights[0][k]).scale_to_fit_height(self.edge_grid_height)
        grid.move_to(self.diagram.get_left() + (self.edge_grid_height / 2 + 0.6) * LEFT)
        grid.set_y(self.diagram.get_y())
        there = edges_to_grid(self.diagram, 1, k, grid=grid)
        self.play(there)
        # The same weights as merged pixels: it looks the same and is far cheaper to draw and move.
        self.weight_grid = PixelGrid.from_weights(self.network.weights[0][k], individual=False).replace(there.grid)
        self.remove(there.grid)
        self.add(self.weight_grid)
        caption = Text(
            f"its {self.n_inputs} weights as a {rows}×{cols} grid", font_size=self.theme.title_font_size
        ).to_edge(UP, buff=0.3)
        self.bring_to_front(self.title)  # so that only the two titles are redrawn while they swap
        self.play(FadeOut(self.title), FadeIn(caption), run_time=1.0)
        self.title = caption
        self.wait(self.pause)

    def weighted_sum(self) -> None:
        k = self.chosen
        w = self.network.weights[0][k]
        # w . a without the bias, computed by the core: this neuron alone, as a bias-free network.
        unbiased = detector_network([w])
        wa = float(unbiased.forward(self.digit.pixels).weighted_sums[0][0])
        self.beat(
            "weighted_sum",
            notes="The neuron multiplies each pixel's activation by its weight and adds them all up: the weighted sum.",
        )
        pixels = PixelGrid(self.digit.pixels, individual=False).scale_to_fit_height(self.grid_height)
        product = PixelGrid.weights_times_input(w, self.digit.pixels, individual=False)
        product.scale_to_fit_height(self.grid_height)
        weights = self.weight_grid.copy().scale_to_fit_height(self.grid_height)
        row = VGroup(pixels, weights, product)
        row.arrange(RIGHT, buff=1.3).move_to(1.2 * UP)
        times = MathTex(r"\times", font_size=self.theme.math_font_size).move_to(
            (pixels.get_right() + row[1].get_left()) / 2
        )
        equals = MathTex("=", font_size=self.theme.math_font_size).move_to(
            (row[1].get_right() + product.get_left()) / 2
        )
        labels = VGroup(
            *(
                Text(text, font_size=self.theme.text_font_size).next_to(grid, DOWN, buff=0.2)
                for text, grid in zip(("pixels a", "weights w", "each w × a"), row)
            )
        )
        symbolic = WeightedSum(
            network=self.network,
            layer=1,
            neuron=k,
            n_terms=2,
            inside_sigma=False,
            with_bias=False,
            font_size=self.theme.math_font_size,
        )
        numbers = WeightedSum(
            network=self.network,
            layer=1,
            neuron=k,
            trace=self.trace,
            show_numbers=True,
            terms="largest",
            n_terms=3,
            inside_sigma=False,
            with_bias=False,
            show_result=False,
            font_size=self.theme.small_math_font_size,
            fit=False,
        )
        total = MathTex("=", tex_number(wa), font_size=self.theme.small_math_font_size)
        total[1].set_color(self.theme.highlight)
        numbers_line = VGroup(numbers, total).arrange(RIGHT, buff=0.2)
        if numbers_line.width > 13.0:
            numbers_line.scale_to_fit_width(13.0)
        formulas = VGroup(symbolic, numbers_line).arrange(DOWN, buff=0.35).next_to(labels, DOWN, buff=0.7)
        which = Text(
            f"the {len(numbers.shown_terms)} largest of the {self.n_inputs} terms; the sum counts them all",
            font_size=self.theme.caption_font_size,
        ).next_to(formulas, DOWN, buff=0.3)
        formulas.add(which)

        self.play(FadeOut(self.diagram), FadeOut(self.title), run_time=0.7)
        self.play(self.weight_grid.animate.replace(row[1]), run_time=1.0)
        self.remove(self.weight_grid)
        self.add(row[1])
        self.play(FadeIn(pixels), FadeIn(times), FadeIn(labels[:2]), run_time=1.0)
        self.play(FadeIn(equals), FadeIn(product), FadeIn(labels[2]), Write(symbolic), run_time=1.5)
        self.wait(1.0)

        self.beat(
            "real_numbers",
            notes=f"With this neuron's real weights and this digit's pixels: these are the "
            f"{len(numbers.shown_terms)} largest terms of the {self.n_inputs}, and all of them add up to {wa:.2f}.",
        )
        self.play(Write(numbers_line), FadeIn(which), run_time=1.5)
        self.wait(self.pause)
        self.neuron_view = VGroup(row, times, equals, labels, formulas)

    def hand_set_detector(self) -> None:
        weights = self.detector_weights()
        band = np.flatnonzero((weights > 0).any(axis=1))  # the rows of the positive band
        self.beat(
            "hand_set_detector",
            notes=f"Now set the weights by hand: positive in a band of rows {band[0]} to {band[-1]}, "
            "negative just above and below, zero elsewhere. Such a neuron looks for a horizontal edge there.",
        )
        self.detector_grid = PixelGrid.from_weights(weights, individual=False)
        self.detector_grid.scale_to_fit_height(self.grid_height).move_to(self.detector_x * RIGHT + 0.2 * DOWN)
        t = self.theme
        title = Text("hand-set weights", font_size=self.theme.title_font_size)
        title.next_to(self.detector_grid, UP, buff=0.3)
        key = VGroup(
            Text("+ in a band", font_size=t.text_font_size, color=t.positive),
            Text("− above and below", font_size=t.text_font_size, color=t.negative),
        ).arrange(DOWN, buff=0.15)
        key.next_to(self.detector_grid, DOWN, buff=0.3)
        self.play(FadeOut(self.neuron_view), run_time=0.8)
        self.play(FadeIn(self.detector_grid), FadeIn(title), FadeIn(key), run_time=1.2)
        self.wait(self.pause)

    def detector_on_digits(self) -> None:
        net = self.detector()
        test = load_dataset()
        inputs = test.inputs()
        sums = net.forward(inputs).weighted_sums[0][:, 0]
        most, least = int(np.argmax(sums)), int(np.argmin(sums))
        n = len(sums)
        self.beat(
            "strongest_response",
            notes=f"The detector is a real one-neuron network. Of the {n:,} held-out digits, test digit "
            f"{most}, {_article(test.labels[most])}, gives it the largest weighted sum, {sums[most]:.2f}: "
            "a horizontal stroke right in the band. Its activation is close to 1.",
        )
        header = VGroup(
            Text("weights × pixels", font_size=self.theme.caption_font_size).set_x(self.columns[1]),
            Text("activation", font_size=self.theme.caption_font_size).set_x(self.columns[3]),
        ).set_y(self.row_ys[0] + self.row_grid_height / 2 + 0.35)
        first = self._detector_row(
            net, inputs[most], self.row_ys[0], f"largest sum of the {n:,} test digits: {_article(test.labels[most])}"
        )
        self.play(FadeIn(first.digit), FadeIn(first.caption), run_time=0.8)
        self.play(GrowArrow(first.arrow), FadeIn(first.product), FadeIn(header[0]), run_time=0.8)
        self.play(Write(first.sum), FadeIn(first.neuron), FadeIn(first.activation), FadeIn(header[1]), run_time=1.0)
        self.wait(self.pause)

        self.beat(
            "weakest_response",
            notes=f"Test digit {least}, {_article(test.labels[least])}, gives the smallest sum, "
            f"{sums[least]:.2f}: its ink falls on the negative rows just outside the band, so the "
            "neuron stays dark.",
        )
        second = self._detector_row(net, inputs[least], self.row_ys[1], f"smallest sum: {_article(test.labels[least])}")
        self.play(FadeIn(second.digit), FadeIn(second.caption), run_time=0.8)
        self.play(GrowArrow(second.arrow), FadeIn(second.product), run_time=0.8)
        self.play(Write(second.sum), FadeIn(second.neuron), FadeIn(second.activation), run_time=1.0)
        self.wait(self.pause + 0.5)

    # -- helpers --------------------------------------------------------------------------------
    def _detector_row(self, net: Network, image: np.ndarray, y: float, caption: str) -> VGroup:
        """digit -> weights x pixels -> ``w·a = z`` -> a neuron lit to its activation, at height y.

        ``image`` is a digit's pixels in [0, 1] (flat or 28x28); z and the activation are the
        detector network's forward pass on it.
        """
        trace = net.forward(image)
        z = float(trace.weighted_sums[0][0])
        a = float(trace.activations[1][0])
        h = self.row_grid_height
        x_digit, x_product, x_sum, x_neuron = self.columns
        digit = PixelGrid(image, individual=False).scale_to_fit_height(h).move_to([x_digit, y, 0])
        product = PixelGrid.weights_times_input(self.detector_weights(), image, individual=False)
        product.scale_to_fit_height(h).move_to([x_product, y, 0])
        arrow = Arrow(
            digit.get_right(), product.get_left(), buff=0.1, stroke_width=3, max_tip_length_to_length_ratio=0.25
        )
        total = RoleMathTex(
            [("w", "weight"), (r"\cdot", None), ("a", "activation"), ("=", None), (tex_number(z), "result")],
            font_size=self.theme.math_font_size,
        )
        total.move_to([x_sum, y, 0], aligned_edge=LEFT)
        neuron = Neuron(radius=self.closeup_radius).set_activation(a).move_to([x_neuron, y, 0])
        activation = MathTex(tex_number(a), font_size=self.theme.number_font_size).next_to(neuron, DOWN, buff=0.15)
        cap = Text(caption, font_size=self.theme.caption_font_size)
        cap.next_to(digit, DOWN, buff=0.15, aligned_edge=LEFT)
        row = VGroup(cap, digit, arrow, product, total, neuron, activation)
        row.caption, row.digit, row.arrow, row.product = cap, digit, arrow, product  # type: ignore[attr-defined]
        row.sum, row.neuron, row.activation = total, neuron, activation  # type: ignore[attr-defined]
        return row


def _article(label: int) -> str:
    """'a 5', 'an 8'."""
    return f"an {label}" if int(label) == 8 else f"a {label}"


__all__ = ["EdgeDetectorWeights"]
