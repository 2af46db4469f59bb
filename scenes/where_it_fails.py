"""Where it fails: the confusion matrix of the held-out split, and the network's most confident mistakes.

Render: ``manim render -ql --save_sections scenes/where_it_fails.py WhereItFails``.

The counts are ``confusion_matrix`` of the lesson's network (``--weights``) on the embedded
held-out split; the largest confusions are its largest off-diagonal cells
(``largest_confusions``); the mistakes are the wrongly read digits whose wrong answer is
brightest (``confident_mistakes``), each shown with its ten real output activations.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, LaggedStart, SurroundingRectangle, Text, VGroup, Write

from nnviz import (
    ConfusionGrid,
    LessonScene,
    OutputBars,
    PixelGrid,
    confident_mistakes,
    confusion_matrix,
    largest_confusions,
    load_dataset,
)


class WhereItFails(LessonScene):
    """The confusion grid, its largest confusions boxed, then the most confidently wrong digits."""

    #: How many confusions to box and how many mistakes to show.
    confusions: int = 3
    mistakes: int = 4
    cell_size: float = 0.52
    theme_overrides: ClassVar[dict[str, float]] = {"caption_font_size": 22}
    pause: float = 1.5

    def construct(self) -> None:
        self.setup_numbers()
        self.confusion_matrix()
        self.common_confusions()
        self.confident_mistakes()

    # -- the numbers -------------------------------------------------------------------------------
    def setup_numbers(self) -> None:
        self.test = load_dataset()
        self.counts = confusion_matrix(self.network, self.test.images, self.test.labels)
        self.right = int(np.trace(self.counts))
        self.total = int(self.counts.sum())

    # -- beats -------------------------------------------------------------------------------------
    def confusion_matrix(self) -> None:
        self.beat(
            "confusion_matrix",
            notes=f"Each row is a true digit, each column the network's answer; the diagonal is right. Of the "
            f"{self.total:,} held-out digits it never trained on, it reads {self.right:,} right "
            f"({self.right / self.total:.1%}).",
        )
        self.grid = ConfusionGrid(self.counts, cell_size=self.cell_size).move_to(3.2 * LEFT + 0.2 * DOWN)
        summary = Text(
            f"{self.right:,} of {self.total:,} held-out digits read right ({self.right / self.total:.1%})",
            font_size=self.theme.caption_font_size,
        ).to_edge(UP, buff=0.25)
        self.summary = summary
        self.play(FadeIn(summary), FadeIn(self.grid), run_time=1.2)
        self.wait(self.pause)

    def common_confusions(self) -> None:
        pairs = largest_confusions(self.counts, self.confusions)
        listed = "; ".join(f"{i} read as {j}: {n} times" for i, j, n in pairs)
        self.beat(
            "common_confusions",
            notes=f"Its most common mistakes: {listed}. Digits that share strokes get confused.",
        )
        boxes = VGroup(
            *(SurroundingRectangle(self.grid.cell(i, j), color=self.theme.highlight, buff=0.02) for i, j, _ in pairs)
        )
        lines = VGroup(
            *(Text(f"a {i} read as {j}: {n} times", font_size=self.theme.list_font_size) for i, j, n in pairs)
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        heading = Text("most common confusions", font_size=self.theme.text_font_size)
        self.confusion_list = VGroup(heading, lines).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        self.confusion_list.next_to(self.grid, RIGHT, buff=0.9)
        self.play(LaggedStart(*(Write(b) for b in boxes), lag_ratio=0.3), FadeIn(heading), run_time=1.2)
        self.play(LaggedStart(*(FadeIn(line, shift=0.2 * RIGHT) for line in lines), lag_ratio=0.3), run_time=1.2)
        self.boxes = boxes
        self.wait(self.pause)

    def mistake_card(self, index: int, label: int, answer: int, outputs: np.ndarray) -> VGroup:
        """One mistake: the digit, its caption and its ten outputs (the true digit's label in blue)."""
        digit = PixelGrid(self.test.images[index], pixel_size=0.065, individual=False)
        size = self.theme.caption_font_size
        caption = VGroup(
            Text(f"test digit #{index}: a {label}", font_size=size),
            Text(f"read as {answer} ({outputs[answer]:.2f})", font_size=size, color=self.theme.negative),
        ).arrange(DOWN, buff=0.08)
        bars = OutputBars(
            outputs, true_label=label, bar_length=1.5, row_height=0.26, font_size=self.theme.bar_font_size
        )
        return VGroup(digit, caption, bars).arrange(DOWN, buff=0.22)

    def confident_mistakes(self) -> None:
        wrong = confident_mistakes(self.network, self.test.images, self.test.labels, self.mistakes)
        listed = "; ".join(f"#{m.index}, a {m.label}, reads {m.answer} at {m.confidence:.2f}" for m in wrong)
        self.beat(
            "confident_mistakes",
            notes="The digits it is most sure about and gets wrong: " + listed + ". Some are sloppy even for us; "
            "the network has no way to say it is unsure.",
        )
        self.play(FadeOut(self.grid, self.boxes, self.confusion_list, run_time=0.8))
        heading = Text("most confidently wrong", font_size=self.theme.text_font_size).next_to(self.summary, DOWN)
        cards = VGroup(*(self.mistake_card(m.index, m.label, m.answer, m.outputs) for m in wrong))
        cards.arrange(RIGHT, buff=0.5, aligned_edge=UP)
        cards.scale_to_fit_width(min(cards.width, 13.0)).next_to(heading, DOWN, buff=0.35)
        self.play(FadeIn(heading), LaggedStart(*(FadeIn(c) for c in cards), lag_ratio=0.3), run_time=2.0)
        self.wait(self.pause + 1.0)
