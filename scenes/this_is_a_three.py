"""This is a three: a sloppy 28x28 digit, many different threes, and the task ahead.

Render: ``manim render -ql --save_sections scenes/this_is_a_three.py ThisIsAThree``.
Every digit is real: the lecturer's digit (``self.digit``) and other test digits of the same
label from the embedded test split, the first ones in the split's order.
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
    Brace,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    LaggedStart,
    MathTex,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
)

from nnviz import LessonScene, PixelGrid, load_dataset


class ThisIsAThree(LessonScene):
    """The lecturer's digit at 28x28 pixels, other digits of its label, and the task: 784 in, 0-9 out."""

    #: Side of one pixel of the big digit (manim units): 28 pixels are 4.48 units.
    big_pixel: float = 0.16
    #: Side of one pixel in the row of examples and in the task diagram.
    small_pixel: float = 0.065
    #: How many other digits of the same label are shown next to the lecturer's.
    other_examples: int = 5
    #: Gap between the examples in the row.
    row_buff: float = 0.3
    #: Typography by role (nnviz.theme): headings across a row of digits, a little smaller.
    theme_overrides: ClassVar[dict[str, float]] = {"text_font_size": 28}
    #: Spacing of the answer digits 0-9 in the task diagram.
    answer_spacing: float = 0.55

    def construct(self) -> None:
        self.show_digit()
        self.twenty_eight_pixels()
        self.many_examples()
        self.the_task()

    # -- what the digit is -----------------------------------------------------------------------
    @property
    def label(self) -> int | None:
        """The digit's true label (None for the lecturer's own picture)."""
        return self.digit.label

    def label_word(self) -> str:
        """How the scene names the digit: the label, or the network's reading of an unlabelled picture."""
        return str(self.label) if self.label is not None else str(self.trace.prediction)

    def example_indices(self) -> np.ndarray:
        """Test-split indices of the first other digits with the same label (or network reading)."""
        test = load_dataset()
        if self.label is not None:
            same = np.flatnonzero(test.labels == self.label)
        else:  # the lecturer's own picture: test digits of the label the network reads it as
            reading = self.trace.prediction
            same = np.flatnonzero(test.labels == reading)
        same = same[same != (self.digit.index if self.digit.index is not None else -1)]
        return same[: self.other_examples]

    # -- beats -------------------------------------------------------------------------------------
    def show_digit(self) -> None:
        self.beat(
            "show_digit",
            notes="Here is a handwritten digit, sloppily written at a tiny resolution; your brain reads it at once.",
        )
        self.big = PixelGrid(self.digit.pixels, pixel_size=self.big_pixel, individual=False).shift(0.2 * DOWN)
        if self.label is not None:
            title = Text(f"This is a {self.label}", font_size=self.theme.title_font_size)
        else:
            title = Text("What digit is this?", font_size=self.theme.title_font_size)
        title.to_edge(UP, buff=0.35)
        self.caption = Text(self.digit.description, font_size=self.theme.caption_font_size, color=self.theme.axis_color)
        self.caption.to_edge(DOWN, buff=0.25)
        self.title = title
        self.play(FadeIn(self.big), run_time=1.5)
        self.play(Write(title), FadeIn(self.caption), run_time=1.2)
        self.wait(self.theme.beat_pause)

    def twenty_eight_pixels(self) -> None:
        rows, cols = self.digit.pixels.shape
        self.beat(
            "twenty_eight_pixels",
            notes=f"It is only {rows} by {cols} pixels, {rows * cols} numbers from black to white.",
        )
        top = Brace(self.big, UP, buff=0.1)
        top_label = MathTex(str(cols), font_size=self.theme.math_font_size).next_to(top, UP, buff=0.1)
        left = Brace(self.big, LEFT, buff=0.1)
        left_label = MathTex(str(rows), font_size=self.theme.math_font_size).next_to(left, LEFT, buff=0.1)
        total = MathTex(rf"{rows} \times {cols} = {rows * cols}", font_size=self.theme.math_font_size)
        total.next_to(self.big, RIGHT, buff=0.8)
        pixels = Text("pixels", font_size=self.theme.text_font_size).next_to(total, DOWN, buff=0.25)
        self.braces = VGroup(top, top_label, left, left_label, total, pixels)
        self.play(FadeOut(self.title), GrowFromCenter(top), GrowFromCenter(left), run_time=1.0)
        self.play(Write(top_label), Write(left_label), run_time=0.8)
        self.play(Write(total), FadeIn(pixels), run_time=1.2)
        self.wait(self.theme.beat_pause)

    def many_examples(self) -> None:
        word = self.label_word()
        self.beat(
            "many_examples",
            notes=f"Here are other {word}s from the test set: every pixel differs, yet you see a {word} in each.",
        )
        indices = self.example_indices()
        test = load_dataset()
        grids = [PixelGrid(self.digit.pixels, pixel_size=self.small_pixel, individual=False)]
        grids += [PixelGrid(test.images[i], pixel_size=self.small_pixel, individual=False) for i in indices]
        VGroup(*grids).arrange(RIGHT, buff=self.row_buff).move_to(0.2 * DOWN)  # lays the grids out in a row
        if self.label is not None:
            text = f"{len(indices) + 1} different {word}s, and you read each one as {word}"
        else:
            text = f"the network reads yours as {word}; here are {len(indices)} test {word}s"
        heading = Text(text, font_size=self.theme.text_font_size).to_edge(UP, buff=0.5)
        numbers = ", ".join(f"#{i}" for i in indices)
        if self.digit.index is not None:
            where = f"test digits #{self.digit.index} (first), {numbers}"
        else:
            where = f"your image (first), then test digits {numbers}"
        source = Text(where, font_size=self.theme.caption_font_size, color=self.theme.axis_color)
        source.to_edge(DOWN, buff=0.25)
        self.play(FadeOut(self.braces), self.big.animate.replace(grids[0]), run_time=1.2)
        self.remove(self.big)
        self.add(grids[0])
        self.play(
            LaggedStart(*[FadeIn(g, shift=0.2 * UP) for g in grids[1:]], lag_ratio=0.25),
            FadeIn(heading),
            FadeOut(self.caption),
            FadeIn(source),
            run_time=2.0,
        )
        self.wait(self.theme.beat_pause * 1.5)
        self.row, self.heading, self.source = VGroup(*grids), heading, source

    def the_task(self) -> None:
        rows, cols = self.digit.pixels.shape
        self.beat(
            "the_task",
            notes=f"The task: a program that takes these {rows * cols} pixel values "
            "and says which of the ten digits they show.",
        )
        digit = self.row[0]
        others = VGroup(*self.row[1:])
        answers = VGroup(*[MathTex(str(k), font_size=self.theme.math_font_size) for k in range(10)])
        for k, a in enumerate(answers):  # evenly spaced centres, whatever each glyph's width
            a.move_to(RIGHT * self.answer_spacing * k)
        answers.move_to(2.3 * RIGHT + 0.2 * DOWN)
        target = digit.copy().move_to(4.2 * LEFT + 0.2 * DOWN)
        arrow = Arrow(target.get_right() + 0.2 * RIGHT, answers.get_left() + 0.2 * LEFT, buff=0.1)
        size = MathTex(rf"{rows} \times {cols}", font_size=self.theme.math_font_size).next_to(target, DOWN, buff=0.3)
        heading = Text(f"{rows * cols} numbers in, one digit 0–9 out", font_size=self.theme.text_font_size)
        heading.to_edge(UP, buff=0.5)
        self.play(
            FadeOut(others), FadeOut(self.heading), FadeOut(self.source), digit.animate.move_to(target), run_time=1.2
        )
        self.play(FadeIn(size), Create(arrow), FadeIn(heading), run_time=1.0)
        self.play(LaggedStart(*[FadeIn(a, shift=0.2 * LEFT) for a in answers], lag_ratio=0.1), run_time=1.2)
        if self.label is not None:
            box = SurroundingRectangle(answers[self.label], color=self.theme.highlight, buff=0.12)
            self.play(Create(box), run_time=0.8)
        self.wait(self.theme.beat_pause * 1.5)
