"""Scene 10 — 13,002 weights and biases to set.

The network's weights and biases, layer by layer: while a flash runs along the edges into a layer, its
``n_in x n_out`` weights join the tally; while its neurons pulse, its ``n_out`` biases do. The
sum is :class:`~nnviz.ParameterTally` of ``self.network`` (its ``parameter_count``), and the count
under every term is the size of that layer's weight matrix or bias vector in the core.

Render::

    manim render -ql scenes/counting_parameters.py CountingParameters
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from manim import (
    DOWN,
    UP,
    AnimationGroup,
    FadeIn,
    FadeOut,
    Indicate,
    MathTex,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
)

from nnviz import EdgeFlash, LessonScene, NetworkDiagram, ParameterTally, tex_count

if TYPE_CHECKING:
    from manim import Mobject


class CountingParameters(LessonScene):
    """Weights and biases of the network counted layer by layer, adding up to its parameter count."""

    #: Height of the network diagram and where its centre sits (manim units).
    diagram_height: float = 4.7
    diagram_center_y: float = 1.3
    #: Where the tally sits.
    tally_y: float = -2.05
    #: Typography by role (nnviz.theme): the tally is the scene's one formula, set large; the
    #: counts under it are labels.
    theme_overrides: ClassVar[dict[str, float]] = {"math_font_size": 44}
    #: Seconds: the flash along a layer's edges, writing one term, the pause after each beat.
    flash_time: float = 1.4
    write_time: float = 1.0
    pause: float = 1.5

    def construct(self) -> None:
        self.ask_how_many()
        for layer in range(1, self.network.num_layers):
            self.count_layer(layer)
        self.add_up()

    # -- beats ----------------------------------------------------------------------------------
    def ask_how_many(self) -> None:
        self.beat(
            "how_many",
            notes="Every edge carries a weight and every neuron after the input has a bias. How many numbers is that?",
        )
        self.diagram = NetworkDiagram(self.network)
        self.diagram.scale_to_fit_height(self.diagram_height).set_y(self.diagram_center_y)
        self.tally = ParameterTally(self.network, font_size=self.theme.math_font_size).set_y(self.tally_y)
        self.question = Text("How many weights and biases?", font_size=self.theme.text_font_size).move_to(self.tally)
        self.play(FadeIn(self.diagram), run_time=1.5)
        self.play(Write(self.question), run_time=1.0)
        self.wait(self.pause)

    def count_layer(self, layer: int) -> None:
        """The weights into ``layer`` (a flash runs along its edges), then its biases (its neurons pulse)."""
        n_in, n_out = self.network.sizes[layer - 1], self.network.sizes[layer]
        weights = self.network.weights[layer - 1]
        biases = self.network.biases[layer - 1]
        self.beat(
            f"layer_{layer}",
            notes=f"Into layer {layer}: {n_in} times {n_out} = {weights.size:,} weights, one per "
            f"edge, and {biases.size} biases, one per neuron.",
        )
        weight_term, plus_before, bias_term = self._terms(layer)
        t = self.theme
        weight_count = MathTex(tex_count(weights.size), font_size=t.label_font_size, color=t.weight_symbol)
        weight_count.next_to(weight_term, DOWN, buff=0.25)
        bias_count = MathTex(tex_count(biases.size), font_size=t.label_font_size, color=t.bias_symbol)
        bias_count.next_to(bias_term, DOWN, buff=0.25)
        first = [
            EdgeFlash(self.diagram.edges_into(layer), run_time=self.flash_time),
            Write(weight_term, run_time=self.write_time),
            FadeIn(weight_count, shift=0.2 * UP, run_time=self.write_time),
        ]
        if plus_before is not None:
            first.insert(0, Write(plus_before, run_time=self.write_time))
        if layer == 1:
            first.insert(0, FadeOut(self.question, run_time=0.6))
        self.play(*first)
        # Pulse copies of the layer's neurons, so the diagram itself stays still (and cheap to draw).
        pulses = VGroup(*(n.copy() for n in self.diagram.layers[layer]))
        self.play(
            AnimationGroup(*(Indicate(n, color=t.bias_symbol, scale_factor=1.4) for n in pulses)),
            Write(self.tally_parts[layer]["plus"]),
            Write(bias_term),
            FadeIn(bias_count, shift=0.2 * UP),
            run_time=self.write_time,
        )
        self.remove(pulses)
        self.wait(self.pause)

    def add_up(self) -> None:
        total = self.tally.total
        self.beat(
            "total",
            notes=f"Altogether {total:,} weights and biases: {total:,} dials, and learning means "
            "finding good settings for all of them.",
        )
        equals, result = self.tally.submobjects[-2], self.tally.submobjects[-1]
        box = SurroundingRectangle(result, color=self.theme.highlight, buff=0.12)
        dials = Text(f"{total:,} dials to set", font_size=self.theme.text_font_size)
        dials.next_to(self.tally, DOWN, buff=0.85)
        self.play(Write(equals), Write(result), run_time=self.write_time)
        self.play(Write(box), FadeIn(dials), run_time=1.0)
        self.wait(self.pause + 1.0)

    # -- helpers --------------------------------------------------------------------------------
    def _terms(self, layer: int) -> tuple[Mobject, Mobject | None, Mobject]:
        """The tally's parts for ``layer``: its weight term, the "+" before it (None for the first), its bias term."""
        if not hasattr(self, "tally_parts"):
            self.tally_parts = {}
            parts = list(zip(self.tally.submobjects, self.tally.roles))
            l, pending_plus = 0, None
            i = 0
            while i < len(parts):
                mob, role = parts[i]
                if role == "weight":
                    l += 1
                    # weight term, "+", bias term follow each other in the tally
                    self.tally_parts[l] = {
                        "plus_before": pending_plus,
                        "weight": mob,
                        "plus": parts[i + 1][0],
                        "bias": parts[i + 2][0],
                    }
                    pending_plus = None
                    i += 3
                    continue
                if mob.tex_string == "+":
                    pending_plus = mob
                i += 1
        p = self.tally_parts[layer]
        return p["weight"], p["plus_before"], p["bias"]


__all__ = ["CountingParameters"]
