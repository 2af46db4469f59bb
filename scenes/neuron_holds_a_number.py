"""A neuron is a thing that holds a number: its activation, between 0 and 1.

Render: ``manim render -ql --save_sections scenes/neuron_holds_a_number.py NeuronHoldsANumber``.
The pixels are real pixels of the lecturer's digit (``self.digit``), chosen by their values:
the pixel nearest the digit's centre among those closest to each of ``pixel_targets``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    UP,
    Arrow,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    ReplacementTransform,
    Square,
    Text,
    UpdateFromAlphaFunc,
    VGroup,
    Write,
    linear,
)

from nnviz import LessonScene, Neuron, PixelGrid, sweep_activation


class NeuronHoldsANumber(LessonScene):
    """A close-up neuron lit by a number, then lit by the brightness of real pixels of the digit."""

    #: The values the neuron runs through when it is introduced: its whole range, 0 to 1 and back.
    sweep_values: tuple[float, ...] = (0.0, 1.0, 0.0)
    sweep_time: float = 3.0
    #: Pixels to show, by brightness: for each target, the pixel whose value is closest to it
    #: (the one nearest the digit's centre among equals).
    pixel_targets: tuple[float, ...] = (1.0, 0.5, 0.0)
    pixel_sweep_time: float = 1.2
    #: Side of one pixel of the digit (manim units).
    pixel_size: float = 0.15
    #: Where the close-up neuron first appears: a little above the centre, leaving room below.
    intro_position: np.ndarray = np.array([0.0, 0.3, 0.0])
    digit_position: np.ndarray = np.array([-3.6, 0.0, 0.0])
    neuron_position: np.ndarray = np.array([3.2, 0.4, 0.0])
    #: Typography by role (nnviz.theme): the activation is the scene's subject, set large.
    theme_overrides: ClassVar[dict[str, float]] = {"number_font_size": 44}

    def construct(self) -> None:
        self.a_neuron()
        self.its_activation()
        self.pixel_to_neuron()
        self.other_pixels()

    # -- the numbers -----------------------------------------------------------------------------
    def chosen_pixels(self) -> list[tuple[int, int]]:
        """(row, column) of the pixel shown for each of ``pixel_targets``, computed from the digit."""
        pixels = np.asarray(self.digit.pixels, dtype=float)
        rows, cols = np.indices(pixels.shape)
        total = pixels.sum()
        cy = (rows * pixels).sum() / total if total > 0 else (pixels.shape[0] - 1) / 2
        cx = (cols * pixels).sum() / total if total > 0 else (pixels.shape[1] - 1) / 2
        distance = np.hypot(rows - cy, cols - cx)
        chosen = []
        for target in self.pixel_targets:
            gap = np.round(np.abs(pixels - target), 6)
            candidates = np.flatnonzero(gap.ravel() == gap.min())
            best = candidates[np.argmin(distance.ravel()[candidates])]
            chosen.append(tuple(int(v) for v in np.unravel_index(best, pixels.shape)))
        return chosen

    def sweep(self, values: list[float] | np.ndarray, run_time: float) -> None:
        """Run the neuron's fill through ``values`` with the number on screen tracking it."""
        v = np.asarray(values, dtype=float)
        steps = np.arange(len(v))

        def follow(number: DecimalNumber, alpha: float) -> None:  # the same interpolation as the fill
            number.set_value(float(np.interp(alpha * (len(v) - 1), steps, v)))

        # The number changes only while the neuron sweeps (no updater between sweeps), and it is
        # drawn last, so the digit and the texts around it stay in the still background.
        self.bring_to_front(self.number)
        self.play(
            sweep_activation(self.neuron, v, run_time=run_time),
            UpdateFromAlphaFunc(self.number, follow, run_time=run_time, rate_func=linear),
        )

    # -- beats -------------------------------------------------------------------------------------
    def a_neuron(self) -> None:
        self.beat("a_neuron", notes="When I say neuron, think: a thing that holds a number.")
        self.neuron = Neuron(radius=self.theme.closeup_radius).move_to(self.intro_position)
        title = Text("A neuron", font_size=self.theme.title_font_size).to_edge(UP, buff=0.5)
        subtitle = Text("a thing that holds a number", font_size=self.theme.text_font_size)
        subtitle.next_to(title, DOWN, buff=0.3)
        self.play(GrowFromCenter(self.neuron), Write(title), run_time=1.2)
        self.play(FadeIn(subtitle, shift=0.2 * UP), run_time=1.0)
        self.wait(self.theme.beat_pause)
        self.title, self.subtitle = title, subtitle

    def its_activation(self) -> None:
        lo, hi = min(self.sweep_values), max(self.sweep_values)
        self.beat(
            "activation",
            notes=f"The number is between {lo:g} and {hi:g}; we call it the neuron's "
            "activation, and the brighter the neuron, the higher it is.",
        )
        number = DecimalNumber(
            self.sweep_values[0], num_decimal_places=self.theme.decimals, font_size=self.theme.number_font_size
        )
        number.next_to(self.neuron, DOWN, buff=0.35)
        label = Text("activation", font_size=self.theme.text_font_size, color=self.theme.axis_color)
        label.next_to(number, DOWN, buff=0.25)
        self.number, self.number_label = number, label
        self.play(FadeIn(number), FadeIn(label), run_time=0.8)
        self.sweep(list(self.sweep_values), self.sweep_time)
        self.wait(self.theme.beat_pause * 0.5)

    def pixel_to_neuron(self) -> None:
        (r, c), *_ = self.chosen_pixels()
        value = float(self.digit.pixels[r, c])
        self.beat(
            "pixel_to_neuron",
            notes="Each pixel of the digit gives one input neuron: "
            f"this pixel's brightness, {value:.2f}, becomes its activation.",
        )
        self.grid = PixelGrid(self.digit.pixels, pixel_size=self.pixel_size, individual=False)
        self.grid.move_to(self.digit_position)
        caption = Text(self.digit.description, font_size=self.theme.caption_font_size, color=self.theme.axis_color)
        caption.to_edge(DOWN, buff=0.3)
        neuron_group = VGroup(self.neuron, self.number, self.number_label)
        offset = self.neuron_position - self.neuron.get_center()
        input_title = Text("input neuron", font_size=self.theme.text_font_size).next_to(
            self.neuron.copy().shift(offset), UP, buff=0.35
        )
        self.play(
            FadeOut(self.subtitle),
            FadeOut(self.title),
            neuron_group.animate.shift(offset),
            FadeIn(self.grid),
            FadeIn(caption),
            run_time=1.5,
        )
        self.marker = self.pixel_marker(r, c)
        self.readout = self.pixel_readout(r, c)
        self.arrow = Arrow(
            self.marker.get_right(),
            self.neuron.get_left(),
            buff=0.15,
            color=self.theme.highlight,
            stroke_width=3,
            max_tip_length_to_length_ratio=0.06,
        )
        self.play(Create(self.marker), FadeIn(self.readout), FadeIn(input_title), run_time=1.0)
        self.play(Create(self.arrow), run_time=0.8)
        self.sweep([self.number.get_value(), value], self.pixel_sweep_time)
        self.wait(self.theme.beat_pause)

    def other_pixels(self) -> None:
        rest = self.chosen_pixels()[1:]
        values = ", ".join(f"{float(self.digit.pixels[r, c]):.2f}" for r, c in rest)
        self.beat(
            "other_pixels",
            notes=f"Other pixels, other numbers ({values}): black pixels give 0, white pixels close to 1.",
        )
        for r, c in rest:
            marker, readout = self.pixel_marker(r, c), self.pixel_readout(r, c)
            arrow = Arrow(
                marker.get_right(),
                self.neuron.get_left(),
                buff=0.15,
                color=self.theme.highlight,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.06,
            )
            self.play(
                ReplacementTransform(self.marker, marker),
                ReplacementTransform(self.readout, readout),
                ReplacementTransform(self.arrow, arrow),
                run_time=0.8,
            )
            self.marker, self.readout, self.arrow = marker, readout, arrow
            self.sweep([self.number.get_value(), float(self.digit.pixels[r, c])], self.pixel_sweep_time)
            self.wait(self.theme.beat_pause * 0.6)

    # -- pieces ------------------------------------------------------------------------------------
    def pixel_marker(self, r: int, c: int) -> Square:
        """A yellow square around pixel (r, c) of the digit."""
        side = self.grid.pixel_size * 1.6
        return Square(side_length=side, color=self.theme.highlight, stroke_width=3).move_to(
            self.grid.pixel_center(r, c)
        )

    def pixel_readout(self, r: int, c: int) -> VGroup:
        """'pixel (r, c)' and its brightness, above the digit."""
        value = float(self.digit.pixels[r, c])
        text = Text(
            f"pixel (row {r}, column {c}): {value:.{self.theme.decimals}f}", font_size=self.theme.caption_font_size
        )
        return VGroup(text).next_to(self.grid, UP, buff=0.3)
