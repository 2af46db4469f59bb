"""What the hidden neurons really look for: the trained weights, the hoped-for edges, and what a digit reveals.

Render: ``manim render -ql --save_sections scenes/what_the_network_learned.py WhatTheNetworkLearned``.

* Learned: the 16 rows of ``self.network.weights[0]`` as 28x28 grids (``weight_grids``).
* Hoped for: a few hand-set stroke detectors (+1 on a short stroke, -1 on a ring of pixels around
  it, a bias of minus 0.4 times the stroke's size: ``stroke_detectors``), a real core network whose
  activations for the lecturer's digit are computed, not typed in.
* Seen: for a few first-layer neurons k, ``W[0][k] * pixels`` (``PixelGrid.weights_times_input``)
  beside its weights, with the neuron's real weighted sum and activation from ``self.trace``. The
  neurons are chosen from the trace: the most excited, the one nearest 0.5, the most inhibited.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    Text,
    VGroup,
    Write,
)

from nnviz import (
    FUNCTION_TEX,
    LessonScene,
    Network,
    PixelGrid,
    RoleMathTex,
    function_name,
    stroke_detectors,
    tex_number,
    weight_grids,
)


class WhatTheNetworkLearned(LessonScene):
    """The real first-layer weight grids beside hand-set edge detectors; then weights x input for the digit."""

    #: The hand-set stroke detectors shown as "hoped for" (strokes of ``nnviz.core.detectors.STROKES``).
    hoped_for: tuple[str, ...] = ("top bar", "middle bar", "right stroke", "loop")
    #: Height of the block of real weight grids, one per first-layer neuron (manim units).
    real_block_height: float = 4.4
    #: Height of the block of hand-set grids.
    hoped_block_height: float = 4.0
    #: Side of one pixel in the "what the neuron sees" rows.
    seen_pixel: float = 0.058
    #: Typography by role (nnviz.theme): two columns of headings side by side, so set small.
    theme_overrides: ClassVar[dict[str, float]] = {
        "title_font_size": 28,
        "math_font_size": 32,
        "small_math_font_size": 25.6,
    }
    pause: float = 1.3

    def construct(self) -> None:
        self.real_weight_grids()
        self.hoped_for_edges()
        self.weights_times_input()
        self.a_few_neurons()

    # -- the numbers -------------------------------------------------------------------------------
    def detector(self) -> Network:
        return stroke_detectors(self.hoped_for)

    def seen_neurons(self) -> list[int]:
        """First-layer neurons to look through, from the digit's trace: most excited, nearest 0.5, most inhibited."""
        z = np.asarray(self.trace.weighted_sums[0])
        a = np.asarray(self.trace.activations[1])
        picks = [int(np.argmax(z)), int(np.argmin(np.abs(a - 0.5))), int(np.argmin(z))]
        return list(dict.fromkeys(picks))

    # -- beats -------------------------------------------------------------------------------------
    def real_weight_grids(self) -> None:
        W = self.network.weights[0]
        rows, cols = self.digit.pixels.shape
        self.beat(
            "real_weight_grids",
            notes=f"These are the real weights of the {W.shape[0]} first-layer neurons of our trained network, "
            f"each neuron's {W.shape[1]} incoming weights drawn as a {rows}x{cols} image: blue positive, red negative.",
        )
        grids = weight_grids(W, columns=4, buff=0.12).scale_to_fit_height(self.real_block_height)
        grids.move_to(3.4 * LEFT + 0.35 * DOWN)
        title = Text("learned: the trained network's", font_size=self.theme.title_font_size)
        sub = Text(f"{W.shape[0]} first-layer neurons (real weights)", font_size=self.theme.caption_font_size)
        heading = VGroup(title, sub).arrange(DOWN, buff=0.12).next_to(grids, UP, buff=0.3)
        self.play(FadeIn(heading, run_time=0.8), LaggedStart(*(FadeIn(g) for g in grids), lag_ratio=0.08, run_time=2.0))
        self.wait(self.pause)
        self.real = VGroup(heading, grids)

    def hoped_for_edges(self) -> None:
        net = self.detector()
        acts = net.forward(self.digit.pixels).activations[1]
        self.beat(
            "hoped_for_edges",
            notes="The classic hope is neat little edge and stroke detectors like these, which we set by hand. "
            "The trained neurons found their own patterns instead: far less tidy, yet the network reads digits.",
        )
        cells = VGroup()
        for kind, w, a in zip(self.hoped_for, net.weights[0], acts):
            grid = PixelGrid.from_weights(w, individual=False)
            name = Text(kind, font_size=self.theme.caption_font_size)
            value = MathTex(f"a = {tex_number(float(a))}", font_size=self.theme.small_math_font_size)
            cells.add(VGroup(grid, VGroup(name, value).arrange(DOWN, buff=0.08).next_to(grid, DOWN, buff=0.12)))
        cols = 2
        for cell in cells:
            cell[0].scale_to_fit_height(1.35)
            cell[1].next_to(cell[0], DOWN, buff=0.12)
        cells.arrange_in_grid(cols=cols, buff=(0.5, 0.3))
        cells.scale_to_fit_height(self.hoped_block_height).move_to(3.6 * RIGHT + 0.45 * DOWN)
        title = Text("hoped for: edge detectors", font_size=self.theme.title_font_size)
        sub = Text(f"set by hand; a = output for this {self.digit_word()}", font_size=self.theme.caption_font_size)
        heading = VGroup(title, sub).arrange(DOWN, buff=0.12).next_to(cells, UP, buff=0.3)
        heading.align_to(self.real[0], UP)
        self.play(FadeIn(heading, run_time=0.8), LaggedStart(*(FadeIn(c) for c in cells), lag_ratio=0.15, run_time=1.6))
        self.wait(self.pause)
        verdict = Text("the trained weights are no such neat edges", font_size=self.theme.title_font_size)
        verdict.to_edge(DOWN, buff=0.3)
        self.play(FadeIn(verdict, shift=0.2 * UP, run_time=0.8))
        self.wait(self.pause)
        self.hoped = VGroup(heading, cells, verdict)

    def digit_word(self) -> str:
        return f"{self.digit.label}" if self.digit.label is not None else "digit"

    def seen_row(self, k: int) -> VGroup:
        """Neuron k: its weights, times the pixels, equals what it sees; and its real activation."""
        w = self.network.weights[0][k]
        pixels = self.digit.pixels
        s = self.seen_pixel
        weights = PixelGrid.from_weights(w, pixel_size=s, individual=False)
        digit = PixelGrid(pixels, pixel_size=s, individual=False)
        seen = PixelGrid.weights_times_input(w, pixels, pixel_size=s, individual=False)
        z = float(self.trace.weighted_sums[0][k])
        a = float(self.trace.activations[1][k])
        f_tex = FUNCTION_TEX[function_name(self.network, 1)]
        result = RoleMathTex(
            [
                (f"a^{{(1)}}_{{{k}}}", "activation"),
                ("=", None),
                (f_tex, "function"),
                (f"({tex_number(z)})", None),
                ("=", None),
                (tex_number(a), "result"),
            ],
            font_size=self.theme.math_font_size,
        )
        times = MathTex(r"\times", font_size=self.theme.math_font_size)
        equals = MathTex("=", font_size=self.theme.math_font_size)
        row = VGroup(weights, times, digit, equals, seen, result).arrange(RIGHT, buff=0.3)
        row.k = k  # type: ignore[attr-defined]
        return row

    def weights_times_input(self) -> None:
        ks = self.seen_neurons()
        k = ks[0]
        self.beat(
            "weights_times_input",
            notes=f"Multiply a neuron's weights by the pixels of our digit and you see what the digit reveals "
            f"to it. Neuron {k} is the most excited by this digit: its weighted sum is "
            f"{float(self.trace.weighted_sums[0][k]):.1f}.",
        )
        self.play(FadeOut(self.real, self.hoped, run_time=0.6))
        rows = VGroup(*(self.seen_row(k) for k in ks)).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        rows.move_to(0.45 * DOWN)
        first = rows[0]
        headers = VGroup(
            Text("weights", font_size=self.theme.caption_font_size).next_to(first[0], UP, buff=0.2),
            Text("pixels", font_size=self.theme.caption_font_size).next_to(first[2], UP, buff=0.2),
            Text("what it sees", font_size=self.theme.caption_font_size).next_to(first[4], UP, buff=0.2),
            Text("its activation", font_size=self.theme.caption_font_size).next_to(first[5], UP, buff=0.2),
        )
        top = max(h.get_y() for h in headers)
        for h in headers:
            h.set_y(top)
        self.rows, self.headers = rows, headers
        self.play(FadeIn(headers, run_time=0.6), FadeIn(first[0], first[1], first[2], run_time=0.8))
        self.play(FadeIn(first[3], first[4], run_time=0.8))
        self.play(Write(first[5], run_time=0.8))
        self.wait(self.pause)

    def a_few_neurons(self) -> None:
        ks = self.seen_neurons()
        self.beat(
            "a_few_neurons",
            notes="Other neurons see the same digit differently: "
            + "; ".join(f"neuron {k} sums to {float(self.trace.weighted_sums[0][k]):.1f}" for k in ks[1:])
            + ". Red weights under the ink hold a neuron back.",
        )
        for row in self.rows[1:]:
            self.play(FadeIn(row, shift=0.2 * UP, run_time=1.0))
        self.wait(self.pause + 0.5)
