"""784 pixels become 784 input neurons: the first layer of the network.

Render: ``manim render -ql --save_sections scenes/input_layer.py InputLayer``.
The digit is the lecturer's (``self.digit``); the input column is the input layer of the
network's own diagram (``NetworkDiagram(self.network)``, other layers not drawn), so the 16 neurons
shown are the ones every other diagram of the lesson shows (``shown_indices``).
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    MathTex,
    Text,
    VGroup,
    Write,
    config,
)

from nnviz import LessonScene, NetworkDiagram, PixelGrid, pixels_to_neurons


class InputLayer(LessonScene):
    """The digit's pixels turn into a 28x28 sheet of neurons that pours into the input column."""

    #: Side of one pixel of the digit (manim units).
    pixel_size: float = 0.13
    digit_position: np.ndarray = np.array([-4.0, 0.0, 0.0])
    #: Where the input column stands (x); the rest of the diagram is not drawn.
    column_x: float = 1.5
    #: Seconds for the pixels to become neurons and pour into the column.
    pour_time: float = 5.5

    def construct(self) -> None:
        self.digit_pixels()
        self.pixels_become_neurons()
        self.the_input_layer()

    def digit_pixels(self) -> None:
        rows, cols = self.digit.pixels.shape
        self.beat(
            "digit_pixels",
            notes=f"The network starts with the {rows * cols} pixels of the image, each a number between 0 and 1.",
        )
        self.grid = PixelGrid(self.digit.pixels, pixel_size=self.pixel_size, individual=False)
        self.grid.move_to(self.digit_position)
        self.grid_label = MathTex(
            rf"{rows} \times {cols} = {rows * cols}", r"\text{ pixels}", font_size=self.theme.math_font_size
        )
        self.grid_label.next_to(self.grid, UP, buff=0.35)
        caption = Text(self.digit.description, font_size=self.theme.caption_font_size, color=self.theme.axis_color)
        caption.next_to(self.grid, DOWN, buff=0.35)
        if caption.get_left()[0] < -config.frame_x_radius + 0.2:  # a long description: keep it in the frame
            caption.to_edge(LEFT, buff=0.2)
        self.caption = caption
        self.play(FadeIn(self.grid), FadeIn(caption), run_time=1.2)
        self.play(Write(self.grid_label), run_time=1.0)
        self.wait(self.theme.beat_pause * 1.5)

    def pixels_become_neurons(self) -> None:
        n = self.digit.pixels.size
        self.beat(
            "pixels_become_neurons",
            notes=f"Each pixel becomes a neuron whose activation is its "
            f"brightness: {n} neurons, which we stack into one column.",
        )
        diagram = NetworkDiagram(self.network)
        diagram.shift((self.column_x - diagram.layers[0].get_x()) * RIGHT)
        self.diagram = diagram
        column = VGroup(diagram.layers[0], diagram.ellipses[0])
        heading = Text(f"{n} neurons, one per pixel", font_size=self.theme.text_font_size)
        heading.next_to(self.grid, UP, buff=0.6)
        self.play(FadeIn(column), FadeOut(self.grid_label), FadeOut(self.caption), FadeIn(heading), run_time=1.0)
        self.play(pixels_to_neurons(self.grid, diagram, run_time=self.pour_time))
        self.heading = heading
        self.wait(self.theme.beat_pause * 0.5)

    def the_input_layer(self) -> None:
        d = self.diagram
        n, shown = d.sizes[0], len(d.shown[0])
        self.beat(
            "input_layer",
            notes=f"These {n} neurons make up the first layer of the network, "
            f"the input layer; we draw {shown} of them and a brace for the rest.",
        )
        brace = d.braces[0]
        name = Text("the input layer", font_size=self.theme.text_font_size)
        detail = Text(
            f"{shown} of {n} neurons drawn", font_size=self.theme.caption_font_size, color=self.theme.axis_color
        )
        info = VGroup(name, detail).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        info.next_to(d.layers[0], RIGHT, buff=0.8)
        self.play(GrowFromCenter(brace.brace), Write(brace.label), FadeOut(self.heading), run_time=1.2)
        self.play(FadeIn(name, shift=0.2 * LEFT), run_time=0.8)
        self.play(FadeIn(detail), run_time=0.8)
        self.wait(self.theme.beat_pause * 2)
