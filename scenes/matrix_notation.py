"""A whole layer at once: sixteen weighted sums become one matrix-vector product, sigma(W a + b).

Render: ``manim render -ql --save_sections scenes/matrix_notation.py MatrixNotation``, or
``MatrixNotationWithNumbers`` for the same scene with the real numbers of the network (its weights
and biases, and the activations of the lecturer's digit) in place of the symbols.

The diagram is the layer being written out: the network's real weight matrix into that layer, drawn
as a core ``Network`` of those two layers with exactly those weights and biases; its neurons show the
activations of ``self.trace`` (the whole network's forward pass of ``self.digit``). Row k of W and the
edges into neuron k light up together.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    FadeIn,
    FadeOut,
    FadeTransform,
    MathTex,
    Mobject,
    Text,
    VGroup,
    Write,
    config,
)

from nnviz import (
    FUNCTION_TEX,
    LayerEquation,
    LessonScene,
    MatrixForm,
    Network,
    NetworkDiagram,
    RoleMathTex,
    WeightedSum,
    clear_highlight,
    function_name,
    highlight_incoming,
    lit_incoming_edges,
    written_indices,
)

MobjectT = TypeVar("MobjectT", bound=Mobject)


class MatrixNotation(LessonScene):
    """Layer ``layer``'s weighted sums, one per neuron, folded into ``a^(l) = sigma(W a^(l-1) + b)``."""

    #: Write the real weights, biases and activations instead of symbols (see MatrixNotationWithNumbers).
    show_numbers: bool = False
    #: The layer written out (1 = the first hidden layer: W is 16 x 784).
    layer: int = 1
    #: Rows of W lit up with the edges into their neuron, in turn (core indices, written-out rows only).
    highlight_rows: tuple[int, ...] = (0, 1)
    #: Rows of W written out in the matrix (the first ones and the last; the rest elided).
    matrix_rows: int = 4
    #: Columns of W written out in the matrix (the first ones and the last; the rest elided).
    matrix_cols: int = 3
    #: Height of the two-layer diagram on the left (manim units).
    diagram_height: float = 5.8
    #: Left edge of the formulas: everything right of this is formula space.
    formula_left: float = -2.6
    #: Stroke width of the widest edge into the neuron singled out (the others in proportion,
    #: ``(|w| / max|w|) ** edge_power`` over that neuron's drawn edges).
    lit_edge_width: float = 5.0
    edge_power: float = 1.0
    #: Typography by role (nnviz.theme): the sums and the matrix entries a size below the matrix
    #: form's operators; the closing equation, large, heads the last frame.
    theme_overrides: ClassVar[dict[str, float]] = {
        "small_math_font_size": 34,
        "caption_font_size": 26,
        "title_font_size": 64,
    }
    #: The pause that ends each beat, so every beat holds its last picture (seconds).
    pause: float = 1.2
    write_time: float = 1.5

    def construct(self) -> None:
        self.one_neuron()
        self.every_neuron()
        self.matrix_form()
        self.row_lights_up()
        self.whole_layer_at_once()

    # -- the numbers -------------------------------------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        """W of the layer written out: row k holds the weights into neuron k."""
        return self.network.weights[self.layer - 1]

    @property
    def n_in(self) -> int:
        return int(self.weights.shape[1])

    @property
    def n_out(self) -> int:
        return int(self.weights.shape[0])

    def written_rows(self) -> list[int]:
        """The neurons k whose rows are written out: the first ``matrix_rows - 1`` and the last."""
        return written_indices(self.n_out, self.matrix_rows)

    def written_columns(self) -> list[int]:
        """The inputs j written out. Symbols: the first ones and the last.

        With numbers, the first inputs the digit really lights (a > 0.5, in reading order) and the
        last one, so the products w a shown are not all zero times a blank border pixel.
        """
        n = self.n_in
        if n <= self.matrix_cols or not self.show_numbers:
            return written_indices(n, self.matrix_cols)
        a_prev = np.asarray(self.trace.activations[self.layer - 1])
        lit = [int(j) for j in np.flatnonzero(a_prev > 0.5) if j < n - 1]
        if len(lit) < self.matrix_cols - 1:
            lit = [int(j) for j in np.argsort(-a_prev, kind="stable") if j < n - 1]
            lit = sorted(lit[: self.matrix_cols - 1])
        return [*lit[: self.matrix_cols - 1], n - 1]

    def layer_network(self) -> Network:
        """The layer as a two-layer core Network with the real weights and biases (for the diagram)."""
        l = self.layer - 1
        return Network.from_parameters([self.network.weights[l]], [self.network.biases[l]])

    # -- formulas ----------------------------------------------------------------------------------
    def neuron_sum(self, k: int) -> RoleMathTex:
        r"""``a^(l)_k = sigma(w_{k,0} a_0 + ... + w_{k,n-1} a_{n-1} + b_k)``: symbols, or the real numbers."""
        l = self.layer
        if self.show_numbers:
            total = WeightedSum(
                network=self.network,
                layer=l,
                neuron=k,
                trace=self.trace,
                show_numbers=True,
                terms=self.written_columns(),
                font_size=self.theme.small_math_font_size,
                fit=False,
            )
            return total
        f_tex = FUNCTION_TEX[function_name(self.network, l)]
        parts: list[tuple[str, str | None]] = [
            (f"a^{{({l})}}_{{{k}}}", "activation"),
            ("=", None),
            (f_tex, "function"),
            ("(", None),
        ]
        previous = -1
        for j in self.written_columns():
            if j > previous + 1:
                parts += [(r"\cdots", None), ("+", None)]
            parts += [(f"w_{{{k},{j}}}", "weight"), (f"a^{{({l - 1})}}_{{{j}}}", "activation"), ("+", None)]
            previous = j
        parts += [(f"b_{{{k}}}", "bias"), (")", None)]
        return RoleMathTex(parts, font_size=self.theme.small_math_font_size)

    def fit_right(self, mob: MobjectT) -> MobjectT:
        """Scale ``mob`` down (never up) to the formula space right of the diagram and centre it there."""
        right = config.frame_width / 2 - 0.35
        width = right - self.formula_left
        height = config.frame_height - 1.2
        if mob.width > width or mob.height > height:
            mob.scale(min(width / mob.width, height / mob.height))
        mob.set_x((self.formula_left + right) / 2)
        return mob

    # -- beats -------------------------------------------------------------------------------------
    def one_neuron(self) -> None:
        k = self.highlight_rows[0]
        self.beat(
            "one_neuron",
            notes=f"Neuron {k} of layer {self.layer} takes a weighted sum of all {self.n_in} activations "
            "of the previous layer, adds its bias and squishes the result with the sigmoid.",
        )
        diagram = NetworkDiagram(self.layer_network())
        diagram.set_layer(0, self.trace.activations[self.layer - 1])
        diagram.set_layer(1, self.trace.activations[self.layer])
        diagram.scale_to_fit_height(self.diagram_height).to_edge(LEFT, buff=0.5).shift(0.3 * DOWN)
        titles = VGroup(
            MathTex(f"a^{{({self.layer - 1})}}", font_size=self.theme.small_math_font_size).next_to(
                diagram.layers[0], UP, buff=0.25
            ),
            MathTex(f"a^{{({self.layer})}}", font_size=self.theme.small_math_font_size).next_to(
                diagram.layers[1], UP, buff=0.25
            ),
        )
        top = max(t.get_y() for t in titles)
        for t in titles:
            t.set_y(top)
        self.diagram = diagram
        self.play(FadeIn(diagram, titles, run_time=0.6))
        total = self.fit_right(self.neuron_sum(k))
        self.lit = lit_incoming_edges(self.diagram, 1, k, self.lit_edge_width, self.edge_power)
        self.play(highlight_incoming(diagram, 1, k, run_time=1.0), FadeIn(self.lit, run_time=1.0))
        self.play(Write(total, run_time=self.write_time))
        self.wait(self.pause)
        self.sums = VGroup(total)

    def every_neuron(self) -> None:
        rows = self.written_rows()
        self.beat(
            "every_neuron",
            notes=f"Every one of the {self.n_out} neurons of the layer does the same with its own weights "
            "and its own bias: that is a lot of sums to write out.",
        )
        sums = [self.neuron_sum(k) for k in rows]
        stack = VGroup()
        for k, s in zip(rows, sums):
            if k != rows[0] and k > rows[rows.index(k) - 1] + 1:
                stack.add(MathTex(r"\vdots", font_size=self.theme.small_math_font_size))
            stack.add(s)
        stack.arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        for m in stack:
            if isinstance(m, MathTex) and m.tex_string == r"\vdots":
                m.set_x(stack.get_x())
        self.fit_right(stack)
        first = stack[0]
        others = VGroup(*stack[1:])
        self.play(
            clear_highlight(self.diagram, run_time=0.8),
            FadeOut(self.lit, run_time=0.8),
            self.sums[0].animate.move_to(first).scale(first.height / self.sums[0].height),
        )
        self.remove(self.sums[0])
        self.add(first)
        self.play(FadeIn(others, shift=0.3 * DOWN, lag_ratio=0.3, run_time=self.write_time))
        self.wait(self.pause)
        self.sums = stack

    def matrix_form(self) -> None:
        self.beat(
            "matrix_form",
            notes="Stack the activations into a vector and the weights into a matrix: row k of W holds "
            "the weights into neuron k, and all the sums become one matrix-vector product plus a bias vector.",
        )
        form = MatrixForm(
            self.network,
            layer=self.layer,
            trace=self.trace if self.show_numbers else None,
            show_numbers=self.show_numbers,
            rows=self.written_rows(),
            cols=self.written_columns(),
            font_size=self.theme.small_math_font_size,
            fit=False,
        )
        self.fit_right(form)
        self.form = form
        self.play(FadeTransform(self.sums, form.expanded, run_time=self.write_time))
        self.play(Write(form.equation, run_time=1.0))
        self.wait(self.pause)

    def row_lights_up(self) -> None:
        rows = list(self.highlight_rows)
        self.beat(
            "row_lights_up",
            notes="Row k of the matrix is exactly the weights on the edges into neuron k: "
            + ", ".join(f"row {k} lights up with the edges into neuron {k}" for k in rows)
            + ".",
        )
        for k in rows:
            boxes = self.form.row_boxes(k)
            lit = lit_incoming_edges(self.diagram, 1, k, self.lit_edge_width, self.edge_power)
            self.play(
                FadeIn(boxes, run_time=0.8),
                highlight_incoming(self.diagram, 1, k, run_time=0.8),
                FadeIn(lit, run_time=0.8),
            )
            self.wait(self.pause)
            self.play(FadeOut(boxes, lit, run_time=0.5), clear_highlight(self.diagram, run_time=0.5))

    def whole_layer_at_once(self) -> None:
        n_out, n_in = self.weights.shape
        self.beat(
            "whole_layer_at_once",
            notes=f"So the whole layer is one line: the {n_out} activations are sigma of W times the "
            f"{n_in} activations before them, plus b. Fast to compute, and short to write.",
        )
        f_name = function_name(self.network, self.layer)
        equation = LayerEquation(self.layer, function=f_name, font_size=self.theme.title_font_size)
        self.fit_right(equation).set_y(1.0)
        shape = RoleMathTex(
            [
                ("W", "weight"),
                (rf"\text{{ is }}{n_out}\times{n_in},\quad", None),
                ("b", "bias"),
                (rf"\text{{ has }}{n_out}\text{{ entries}}", None),
            ],
            font_size=self.theme.small_math_font_size,
        )
        caption = Text(f"one product for all {n_out} neurons at once", font_size=self.theme.caption_font_size)
        shape.next_to(equation, DOWN, buff=0.7)
        caption.next_to(shape, DOWN, buff=0.4)
        for m in (shape, caption):
            self.fit_right(m)
        self.play(FadeOut(self.form.expanded, run_time=0.6), FadeTransform(self.form.equation, equation, run_time=1.2))
        self.play(FadeIn(shape, shift=0.2 * UP), FadeIn(caption, shift=0.2 * UP), run_time=1.0)
        self.wait(self.pause + 0.8)


class MatrixNotationWithNumbers(MatrixNotation):
    """The same scene with the real weights, biases and activations of the network and the digit."""

    show_numbers = True
