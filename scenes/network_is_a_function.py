"""The network is a function: each neuron of the previous layer's numbers, the whole of 784 numbers.

Render: ``manim render -ql --save_sections scenes/network_is_a_function.py NetworkIsAFunction``.

Every number is the core's: the activations of the lecturer's digit (``self.trace``), the parameter
count (``network.parameter_count``), and the outputs of new held-out digits, the first test digits of
the labels in ``new_labels`` (in the test split's order), run through ``self.network`` at render time.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    MathTex,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
)

from nnviz import (
    FUNCTION_TEX,
    LessonScene,
    NetworkDiagram,
    PixelGrid,
    RoleMathTex,
    clear_highlight,
    function_name,
    highlight_incoming,
    lit_incoming_edges,
    load_dataset,
    propagate,
    tex_count,
    tex_number,
)


class NetworkIsAFunction(LessonScene):
    """Each neuron is a function of the layer before; the network is one function, 784 numbers to 10."""

    #: Labels of the new test digits fed in (the first test digit of each, the lecturer's skipped).
    new_labels: tuple[int, ...] = (7, 0, 4)
    #: Height of the network diagram (manim units).
    diagram_height: float = 4.9
    #: Gap between the diagram and the box f drawn around it.
    box_buff: float = 0.3
    #: Side of one pixel of a digit fed in.
    pixel_size: float = 0.08
    #: Typography by role (nnviz.theme): a full diagram leaves room for smaller type; the f that
    #: names the boxed network heads it.
    theme_overrides: ClassVar[dict[str, float]] = {
        "title_font_size": 48,
        "text_font_size": 26,
        "caption_font_size": 20.8,
        "number_font_size": 26,
        "math_font_size": 36,
        "small_math_font_size": 30.6,
    }
    #: Stroke width of the widest edge into the neuron singled out (the others in proportion to |w|).
    lit_edge_width: float = 4.0
    #: Seconds per layer when a new digit flows through.
    layer_time: float = 0.6
    pause: float = 1.2

    def construct(self) -> None:
        self.setup_diagram()
        self.neuron_is_a_function()
        self.layer_after_layer()
        self.an_output()
        self.whole_network_is_f()
        for i, index in enumerate(self.new_digit_indices(), start=1):
            self.feed_new_digit(i, index)

    # -- the numbers -------------------------------------------------------------------------------
    def new_digit_indices(self) -> list[int]:
        """Test-split indices: the first digit of each label in ``new_labels``, never the lecturer's."""
        test = load_dataset()
        skip = self.digit.index if self.digit.index is not None else -1
        picks = []
        for label in self.new_labels:
            same = np.flatnonzero(test.labels == label)
            same = same[same != skip]
            if len(same):
                picks.append(int(same[0]))
        return picks

    def intermediate_neuron(self, layer: int) -> int:
        """The neuron of ``layer`` whose activation for the digit is nearest 0.5 (a partly lit one)."""
        a = np.asarray(self.trace.activations[layer])
        return int(np.argmin(np.abs(a - 0.5)))

    def function_tex(self, layer: int) -> str:
        return FUNCTION_TEX[function_name(self.network, layer)]

    # -- mobjects ----------------------------------------------------------------------------------
    def setup_diagram(self) -> None:
        self.diagram = NetworkDiagram(self.network, trace=self.trace)
        self.diagram.scale_to_fit_height(self.diagram_height).move_to(0.15 * DOWN)
        # Room on the left for a digit fed in, on the right for the ten outputs.
        self.diagram.shift(0.6 * RIGHT)

    def neuron_formula(self, layer: int, k: int) -> RoleMathTex:
        r"""``a^(l)_k = sigma(w_{k,0} a^(l-1)_0 + ... + w_{k,n-1} a^(l-1)_{n-1} + b_k) = <its real value>``."""
        n = self.network.sizes[layer - 1]
        a = float(np.asarray(self.trace.activations[layer])[k])
        prev = f"a^{{({layer - 1})}}"
        parts: list[tuple[str, str | None]] = [
            (f"a^{{({layer})}}_{{{k}}}", "activation"),
            ("=", None),
            (self.function_tex(layer), "function"),
            ("(", None),
            (f"w_{{{k},0}}", "weight"),
            (f"{prev}_{{0}}", "activation"),
            ("+", None),
            (r"\cdots", None),
            ("+", None),
            (f"w_{{{k},{n - 1}}}", "weight"),
            (f"{prev}_{{{n - 1}}}", "activation"),
            ("+", None),
            (f"b_{{{k}}}", "bias"),
            (")", None),
            ("=", None),
            (tex_number(a), "result"),
        ]
        formula = RoleMathTex(parts, font_size=self.theme.math_font_size).fit_to_frame()
        return formula.to_edge(UP, buff=0.45)

    def single_out(self, layer: int, k: int, note: str) -> None:
        """Light up neuron k of ``layer`` with its incoming edges, its formula above and a caption below."""
        formula = self.neuron_formula(layer, k)
        n_prev = self.network.sizes[layer - 1]
        caption = Text(note.format(n=n_prev), font_size=self.theme.text_font_size).to_edge(DOWN, buff=0.35)
        lit = lit_incoming_edges(self.diagram, layer, k, self.lit_edge_width)
        self.play(
            highlight_incoming(self.diagram, layer, k, run_time=0.8),
            FadeIn(lit, run_time=0.8),
            FadeIn(caption, run_time=0.8),
        )
        self.play(Write(formula, run_time=1.2))
        self.wait(self.pause)
        self.play(
            FadeOut(formula, lit, caption, run_time=0.6),
            clear_highlight(self.diagram, run_time=0.6),
        )

    def output_numbers(self, output: np.ndarray) -> VGroup:
        """The ten output activations, each right of its label in the diagram."""
        numbers = VGroup()
        left = self.box.get_right()[0] + 0.15
        for j, y in enumerate(output):
            number = MathTex(tex_number(float(y)), font_size=self.theme.number_font_size)
            number.set_y(self.diagram.label(j).get_y())
            number.set_x(left + number.width / 2)
            numbers.add(number)
        winner = int(np.argmax(output))
        numbers[winner].set_color(self.theme.highlight)
        return numbers

    def digit_grid(self, pixels: np.ndarray) -> PixelGrid:
        grid = PixelGrid(pixels, pixel_size=self.pixel_size, individual=False)
        return grid.next_to(self.box, LEFT, buff=0.9)

    # -- beats -------------------------------------------------------------------------------------
    def neuron_is_a_function(self) -> None:
        k = self.intermediate_neuron(1)
        self.beat(
            "neuron_is_a_function",
            notes=f"Each neuron is a function: neuron {k} of the first hidden layer takes the "
            f"{self.network.sizes[0]} pixel values and gives one number, sigma of their weighted sum plus its bias.",
        )
        self.play(FadeIn(self.diagram, run_time=1.0))
        self.single_out(1, k, "a function of the {n} numbers before it")

    def layer_after_layer(self) -> None:
        k = self.intermediate_neuron(2)
        self.beat(
            "layer_after_layer",
            notes=f"The same holds layer after layer: neuron {k} of the second hidden layer is a function "
            f"of the {self.network.sizes[1]} activations before it.",
        )
        self.single_out(2, k, "a function of the {n} numbers before it")

    def an_output(self) -> None:
        last = len(self.network.sizes) - 1
        winner = int(self.trace.prediction)
        self.beat(
            "an_output",
            notes=f"And each output is a function of the last hidden layer: here output {winner}, the "
            "brightest for our digit.",
        )
        self.single_out(last, winner, "an output: a function of the {n} numbers before it")

    def whole_network_is_f(self) -> None:
        sizes = self.network.sizes
        n_in, n_out = sizes[0], sizes[-1]
        self.beat(
            "whole_network_is_f",
            notes=f"So the whole network is one function f: {n_in} numbers in, {n_out} numbers out, with "
            f"{self.network.parameter_count:,} weights and biases as its knobs.",
        )
        box = SurroundingRectangle(self.diagram, color=self.theme.highlight, buff=self.box_buff, corner_radius=0.15)
        self.box = box
        f_label = (
            MathTex("f", font_size=self.theme.title_font_size, color=self.theme.highlight)
            .next_to(box, UP, buff=0.1)
            .align_to(box, LEFT)
        )
        formula = RoleMathTex(
            [
                ("f", "function"),
                (rf"(a_0, a_1, \dots, a_{{{n_in - 1}}})", "activation"),
                ("=", None),
                (rf"(y_0, y_1, \dots, y_{{{n_out - 1}}})", "result"),
            ],
            font_size=self.theme.math_font_size,
        ).to_edge(UP, buff=0.45)
        params = (
            RoleMathTex(
                [
                    (rf"{n_in}\text{{ numbers in, }}{n_out}\text{{ numbers out, }}", None),
                    (tex_count(self.network.parameter_count), "result"),
                    (r"\text{ weights and biases}", None),
                ],
                font_size=self.theme.small_math_font_size,
            )
            .fit_to_frame()
            .to_edge(DOWN, buff=0.35)
        )
        f_label.next_to(box, LEFT, buff=0.2).align_to(box, UP)
        self.play(Create(box, run_time=1.0), FadeIn(f_label, run_time=1.0), Write(formula, run_time=1.2))
        self.play(FadeIn(params, shift=0.2 * UP, run_time=0.8))
        self.wait(self.pause)
        self.f_label, self.formula, self.params = f_label, formula, params
        self.grid = None
        self.numbers = None
        self.winner_box = None

    def feed_new_digit(self, i: int, index: int) -> None:
        test = load_dataset()
        pixels = test.inputs()[index]
        trace = self.network.forward(pixels)
        label, reading = int(test.labels[index]), int(trace.prediction)
        self.beat(
            f"new_digit_{i}",
            notes=f"A digit the network never saw while training, a {label} (test digit #{index}): "
            f"f gives {len(trace.output)} numbers, and the brightest, {reading}, is its answer.",
        )
        grid = self.digit_grid(pixels)
        caption = Text(f"held-out digit #{index}", font_size=self.theme.caption_font_size).next_to(
            grid, DOWN, buff=0.25
        )
        answer = Text(f"a {label}; f reads it as {reading}", font_size=self.theme.text_font_size).to_edge(
            DOWN, buff=0.35
        )
        if self.grid is None:
            self.arrow = Arrow(grid.get_right(), self.box.get_left(), buff=0.1, color=self.theme.neuron_color)
            self.play(FadeOut(self.params), FadeIn(grid, caption), GrowArrow(self.arrow), run_time=0.6)
        else:
            self.play(
                FadeOut(self.grid, self.grid_caption, self.numbers, self.winner_box, self.answer),
                FadeIn(grid, caption),
                run_time=0.6,
            )
        flow = propagate(self.diagram, trace, layer_time=self.layer_time)
        self.play(flow)
        numbers = self.output_numbers(trace.output)
        self.play(FadeIn(numbers, lag_ratio=0.05, run_time=0.8), FadeIn(answer, run_time=0.8))
        self.wait(self.pause)
        self.grid, self.grid_caption, self.numbers, self.winner_box = grid, caption, numbers, flow.box
        self.answer = answer
