"""Two hidden layers of 16 and the output layer of 10, and what the output activations mean.

Render: ``manim render -ql --save_sections scenes/hidden_and_output_layers.py HiddenAndOutputLayers``.
Edges carry the network's real weights (colour by sign, width by size); the activations are
``self.trace``, the network's forward pass of the lecturer's digit.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    AnimationGroup,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    Text,
    VGroup,
)

from nnviz import DiagramLessonScene


class HiddenAndOutputLayers(DiagramLessonScene):
    """From the input column: the hidden layers and the output layer appear, then the outputs light up."""

    #: Seconds to draw the edges into one layer.
    edge_time: float = 1.5
    #: Typography by role (nnviz.theme): the one caption line at the top, a little larger.
    theme_overrides: ClassVar[dict[str, float]] = {"caption_font_size": 28}

    def construct(self) -> None:
        self.input_column()
        self.hidden_layers()
        self.output_layer()
        self.edge_weights()
        self.output_activations()

    # -- helpers -------------------------------------------------------------------------------------
    def say(self, text: str, **kwargs: object) -> None:
        """Replace the caption at the top of the frame with ``text``."""
        caption = Text(text, font_size=self.theme.caption_font_size, **kwargs).to_edge(UP, buff=0.25)
        old = getattr(self, "caption", None)
        if old is None:
            self.play(FadeIn(caption), run_time=0.6)
        else:
            self.play(FadeOut(old), FadeIn(caption), run_time=0.6)
        self.caption = caption

    def layer_appears(self, l: int, extra: list | None = None) -> None:
        """Layer ``l``'s neurons fade in while its incoming edges are drawn."""
        d = self.diagram
        self.play(
            Create(d.edges_into(l), lag_ratio=0.002),
            LaggedStart(*[FadeIn(n) for n in d.layers[l]], lag_ratio=0.05),
            *(extra or []),
            run_time=self.edge_time,
        )

    # -- beats -----------------------------------------------------------------------------------------
    def input_column(self) -> None:
        self.beat(
            "input_column",
            notes=f"We start from the input layer: {self.network.sizes[0]} neurons holding the pixels of the digit.",
        )
        d = self.network_diagram()
        d.set_layer(0, self.trace.activations[0])
        self.diagram = d
        digit = self.digit_beside_inputs(d, self.digit.pixels)
        self.add(digit, d.layers[0], d.ellipses[0], d.braces[0])
        self.say("the input layer: one neuron per pixel")
        self.wait(self.theme.beat_pause * 1.5)

    def hidden_layers(self) -> None:
        d = self.diagram
        sizes = d.sizes[1:-1]
        self.beat(
            "hidden_layers",
            notes=f"Then {len(sizes)} hidden layers of {sizes[0]} neurons each, "
            "every neuron connected to every neuron of the layer before.",
        )
        words = " and ".join(str(s) for s in sizes)
        self.say(f"{len(sizes)} hidden layers: {words} neurons")
        counts = VGroup()
        for l in range(1, d.num_layers - 1):
            count = MathTex(str(d.sizes[l]), font_size=self.theme.label_font_size).next_to(d.layers[l], DOWN, buff=0.15)
            counts.add(count)
            self.layer_appears(l, [FadeIn(count)])
        self.counts = counts
        self.wait(self.theme.beat_pause)

    def output_layer(self) -> None:
        d = self.diagram
        L = d.num_layers - 1
        self.beat("output_layer", notes=f"The last layer has {d.sizes[L]} neurons, one for each digit.")
        self.say(f"the output layer: {d.sizes[L]} neurons, one per digit")
        self.layer_appears(L, [LaggedStart(*[FadeIn(t) for t in d.output_labels], lag_ratio=0.05)])
        self.wait(self.theme.beat_pause)

    def edge_weights(self) -> None:
        t = self.theme
        self.beat(
            "edge_weights",
            notes="Each line is a weight of the trained network: "
            "positive ones in one colour, negative in the other, strong ones thicker.",
        )
        caption = Text(
            "each line a weight: positive or negative, thicker when stronger",
            font_size=self.theme.caption_font_size,
            t2c={"positive": t.positive, "negative": t.negative},
        )
        caption.to_edge(UP, buff=0.25)
        self.play(FadeOut(self.caption), FadeIn(caption), run_time=0.6)
        self.caption = caption
        self.wait(self.theme.beat_pause * 2)

    def output_activations(self) -> None:
        d = self.diagram
        L = d.num_layers - 1
        out = np.asarray(self.trace.activations[L])
        best = int(np.argmax(out))
        self.beat(
            "output_activations",
            notes=f"Each output activation says how much the network thinks "
            f"the image is that digit; for this one, {best} at {out[best]:.2f}.",
        )
        self.say("how much the network thinks the image is each digit")
        fills = []
        for l in range(1, d.num_layers):
            values = np.clip(self.trace.activations[l][d.shown[l]], 0.0, 1.0)
            fills += [n.animate.set_fill(opacity=float(v)) for n, v in zip(d.layers[l], values)]
        self.play(AnimationGroup(*fills), run_time=1.5)
        for l in range(1, d.num_layers):
            d.set_layer(l, self.trace.activations[l])
        numbers = d.output_numbers(out, font_size=self.theme.number_font_size)
        box = d.box_winner(self.trace)
        self.play(LaggedStart(*[FadeIn(n, shift=0.1 * LEFT) for n in numbers], lag_ratio=0.08), run_time=1.2)
        self.play(Create(box), run_time=0.6)
        self.wait(self.theme.beat_pause * 2)
