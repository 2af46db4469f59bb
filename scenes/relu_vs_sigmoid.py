"""ReLU versus the sigmoid: the two functions, and the same network trained with each.

Render: ``manim render -ql --save_sections scenes/relu_vs_sigmoid.py ReLUvsSigmoid``.

The sigmoid network is ``self.network`` (the shipped one by default); the ReLU network is the
shipped ``load_relu_network()``: the same 784-16-16-10 shape and training digits, trained with
``nnviz train --activation relu --lr 0.3``, its output layer still a sigmoid. (A ReLU
``self.network`` takes the ReLU side instead, beside the shipped sigmoid network.) Both held-out
accuracies are computed at render time on ``load_dataset()``, the embedded 1,500 held-out digits;
the curves, the marked weighted sums and the lit neurons come from the core too.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    Text,
    VGroup,
    Write,
)

from nnviz import (
    ActivationPlot,
    LessonScene,
    Network,
    NetworkDiagram,
    RoleMathTex,
    accuracy,
    load_dataset,
    load_network,
    load_relu_network,
    propagate,
    tex_number,
)

FORMULAS = {
    "sigmoid": [(r"\sigma", "function"), ("(z)", None), ("=", None), (r"\frac{1}{1+e^{-z}}", None)],
    "relu": [(r"\mathrm{ReLU}", "function"), ("(z)", None), ("=", None), (r"\max(0,\,z)", None)],
}
NAMES = {"sigmoid": "sigmoid", "relu": "ReLU"}


class ReLUvsSigmoid(LessonScene):
    """max(0, z) beside the sigmoid, then the same network trained with each and both held-out accuracies."""

    #: x range of both plots (the weighted sum z).
    x_range: tuple[float, float] = (-5.0, 5.0)
    plot_width: float = 5.4
    plot_height: float = 3.0
    #: Height of each of the two network diagrams.
    diagram_height: float = 3.5
    #: Typography by role (nnviz.theme): two plots and two diagrams side by side leave room for
    #: small type only.
    theme_overrides: ClassVar[dict[str, float]] = {
        "title_font_size": 30,
        "text_font_size": 22.1,
        "caption_font_size": 23.4,
    }
    #: Seconds per layer of the two forward passes.
    layer_time: float = 0.8
    pause: float = 1.3

    def construct(self) -> None:
        self.two_functions()
        self.real_weighted_sums()
        self.two_networks()
        self.held_out_accuracy()

    # -- the numbers -------------------------------------------------------------------------------
    def networks(self) -> list:
        """The sigmoid network and the ReLU network, in that order.

        The lesson's network (``self.network``) takes its own side; the other side is the shipped
        network of the other activation (``load_relu_network()``, or ``load_network()``).
        """
        if self.network.activation == "relu":
            return [load_network(), self.network]
        return [self.network, load_relu_network()]

    def score(self, network: Network) -> tuple[int, int]:
        """(correct, total) of ``network`` on the embedded held-out digits, computed now."""
        test = load_dataset()
        total = len(test)
        # The core's accuracy is a fraction of the digits; the scene counts them.
        return round(accuracy(network, test.images, test.labels) * total), total

    def marked_neuron(self, network: Network, plot: ActivationPlot) -> int:
        """The first-layer neuron of ``network`` with the largest weighted sum for the digit that the plot can show."""
        z = np.asarray(network.forward(self.digit.pixels).weighted_sums[0])
        lo, hi = plot.x_range
        y_lo, y_hi = plot.y_range
        fits = [k for k in np.argsort(-z, kind="stable") if lo <= z[k] <= hi and y_lo <= plot.value(z[k]) <= y_hi]
        return int(fits[0]) if fits else int(np.argmin(np.abs(z)))

    # -- beats -------------------------------------------------------------------------------------
    def two_functions(self) -> None:
        self.beat(
            "two_functions",
            notes="The sigmoid squishes every weighted sum into (0, 1). Modern networks mostly use ReLU, "
            "the rectified linear unit: max(0, z), zero for negative sums and the sum itself otherwise.",
        )
        plots = VGroup()
        for kind in ("sigmoid", "relu"):
            y_range = None if kind == "sigmoid" else (0.0, self.x_range[1])
            plot = ActivationPlot(
                kind, x_range=self.x_range, y_range=y_range, width=self.plot_width, height=self.plot_height
            )
            plots.add(plot)
        plots.arrange(RIGHT, buff=1.3).move_to(0.35 * DOWN)
        formulas = VGroup(*(RoleMathTex(FORMULAS[p.kind], font_size=self.theme.math_font_size) for p in plots))
        for formula, plot in zip(formulas, plots):
            formula.next_to(plot, UP, buff=0.35).set_x(plot.axes.get_x())
        top = max(f.get_y() for f in formulas)
        for f in formulas:
            f.set_y(top)
        self.plots, self.formulas = plots, formulas
        self.play(Create(plots[0].axes), Write(formulas[0]), run_time=1.0)
        self.play(Create(plots[0].curve), FadeIn(plots[0].x_label, plots[0].y_label), run_time=1.0)
        self.play(Create(plots[1].axes), Write(formulas[1]), run_time=1.0)
        self.play(Create(plots[1].curve), FadeIn(plots[1].x_label, plots[1].y_label), run_time=1.0)
        self.wait(self.pause)

    def real_weighted_sums(self) -> None:
        nets = self.networks()
        ks = [self.marked_neuron(net, plot) for net, plot in zip(nets, self.plots)]
        zs = [float(net.forward(self.digit.pixels).weighted_sums[0][k]) for net, k in zip(nets, ks)]
        self.beat(
            "real_weighted_sums",
            notes="A real weighted sum on each curve: one first-layer neuron of each network, for our digit: "
            + " and ".join(f"{NAMES[p.kind]}({z:.2f}) = {p.value(z):.2f}" for p, z in zip(self.plots, zs))
            + ". The sigmoid squishes, ReLU passes a positive sum straight on.",
        )
        marks = VGroup()
        captions = VGroup()
        for net, plot, k, z in zip(nets, self.plots, ks, zs):
            marks.add(plot.mark(z, label=False))
            which = Text(f"{NAMES[net.activation]} network, neuron {k} of layer 1", font_size=self.theme.text_font_size)
            value = RoleMathTex(
                [
                    (plot.function_tex, "function"),
                    (f"({tex_number(z)})", None),
                    ("=", None),
                    (tex_number(plot.value(z)), "result"),
                ],
                font_size=self.theme.small_math_font_size,
            )
            caption = VGroup(which, value).arrange(DOWN, buff=0.15)
            caption.next_to(plot, DOWN, buff=0.25).set_x(plot.axes.get_x())
            captions.add(caption)
        self.play(FadeIn(marks, run_time=1.0), FadeIn(captions, run_time=1.0))
        self.wait(self.pause + 0.5)
        self.play(FadeOut(self.plots, self.formulas, marks, captions, run_time=0.6))

    def two_networks(self) -> None:
        nets = self.networks()
        self.beat(
            "two_networks",
            notes=f"The same {_shape(nets[0])} network trained twice on the same digits, once with sigmoid "
            "hidden layers and once with ReLU. Here both read our digit.",
        )
        diagrams = VGroup(*(NetworkDiagram(net).scale_to_fit_height(self.diagram_height) for net in nets))
        diagrams.arrange(RIGHT, buff=1.2).move_to(0.45 * UP)
        titles = VGroup(
            *(
                Text(f"{NAMES[net.activation]} hidden layers", font_size=self.theme.title_font_size).next_to(
                    d, UP, buff=0.35
                )
                for net, d in zip(nets, diagrams)
            )
        )
        top = max(t.get_y() for t in titles)
        for t in titles:
            t.set_y(top)
        self.play(FadeIn(diagrams, titles, run_time=0.8))
        flows = [
            propagate(d, net.forward(self.digit.pixels), layer_time=self.layer_time) for d, net in zip(diagrams, nets)
        ]
        self.play(*flows)
        self.wait(self.pause - 0.5)
        self.diagrams, self.titles = diagrams, titles

    def held_out_accuracy(self) -> None:
        nets = self.networks()
        scores = [self.score(net) for net in nets]
        train = len(load_dataset(split="train"))
        held_out = scores[0][1]
        self.beat(
            "held_out_accuracy",
            notes=f"Scored on the {held_out:,} held-out digits they never trained on: "
            + " and ".join(f"{NAMES[n.activation]} {c / t:.1%}" for n, (c, t) in zip(nets, scores))
            + ". Same shape, same training digits.",
        )
        lines = VGroup()
        for diagram, (correct, total) in zip(self.diagrams, scores):
            percent = MathTex(
                rf"{correct / total * 100:.1f}\%", font_size=self.theme.math_font_size, color=self.theme.highlight
            )
            count = Text(f"{correct:,} of {total:,} held-out digits right", font_size=self.theme.text_font_size)
            line = VGroup(percent, count).arrange(DOWN, buff=0.12)
            line.next_to(diagram, DOWN, buff=0.3).set_x(diagram.get_x())
            lines.add(line)
        top = max(l.get_top()[1] for l in lines)
        for l in lines:
            l.align_to(UP * top, UP)
        shape = _shape(nets[0])
        caption = Text(
            f"both {shape}, {nets[0].parameter_count:,} parameters, trained on the same {train:,} digits",
            font_size=self.theme.caption_font_size,
        ).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(lines, shift=0.2 * UP, lag_ratio=0.3, run_time=1.2))
        self.play(FadeIn(caption, run_time=0.8))
        self.wait(self.pause + 0.7)


def _shape(network: Network) -> str:
    """'784-16-16-10'."""
    return "-".join(str(n) for n in network.sizes)
