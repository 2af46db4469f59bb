"""Activations of one layer determine the next: real test digits fed forward, one mistake included.

Render: ``manim render -ql --save_sections scenes/feed_forward.py FeedForward``.
The digits are chosen at render time from the network's own predictions on the embedded test
split: the lecturer's digit, the first digit of each of ``other_labels`` that the network reads
correctly, and the first digit it gets wrong (by default one whose true label is its second choice).
Every activation shown is the network's forward pass of that digit.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import (
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    SurroundingRectangle,
    Text,
)

from nnviz import DiagramLessonScene, accuracy, load_dataset, propagate


class FeedForward(DiagramLessonScene):
    """Several digits propagate through the network with their real activations, a mistake among them."""

    #: Labels of the extra digits the network reads correctly (the lecturer's label is skipped).
    other_labels: tuple[int, ...] = (7, 4)
    #: How many extra correctly read digits to show (at most len(other_labels)).
    extra_digits: int = 2
    #: "runner_up": the first mistake whose true label is the network's second choice
    #: (the first mistake if there is none); "first": the first mistake of the test split.
    mistake_rule: str = "runner_up"
    #: Seconds per layer of the propagation.
    layer_time: float = 0.9
    #: Typography by role (nnviz.theme): the one caption line at the top, a little larger.
    theme_overrides: ClassVar[dict[str, float]] = {"caption_font_size": 28}
    #: Seconds to look at each result.
    hold_time: float = 1.0

    def construct(self) -> None:
        self.setup_diagram()
        self.feed(
            "your_digit",
            self.digit.pixels,
            self.digit.label,
            self.digit_name(),
            notes="Feed the digit in: the pixels set the first layer, each layer's activations "
            "set the next, and the brightest output is the network's answer.",
        )
        for i, index in enumerate(self.correct_examples()):
            self.feed(
                f"another_digit_{i + 1}",
                self.inputs[index],
                int(self.labels[index]),
                f"test digit #{index}",
                notes="Another digit from the test set: a different pattern of activations, "
                "and again the right answer.",
            )
        index = self.mistake()
        if index is not None:
            self.feed(
                "a_mistake",
                self.inputs[index],
                int(self.labels[index]),
                f"test digit #{index}",
                notes="The network gets this one wrong: its brightest output is not the true digit. "
                f"It reads {self.accuracy:.0%} of these test digits correctly, not all of them.",
            )
            self.true_answer(index)

    # -- choosing digits (from the network's predictions at render time) -----------------------------
    def setup_diagram(self) -> None:
        test = load_dataset()
        self.inputs, self.labels = test.inputs(), test.labels
        self.outputs = self.network.forward(self.inputs).output
        self.predictions = np.argmax(self.outputs, axis=1)
        self.accuracy = accuracy(self.network, test.images, test.labels)
        d = self.network_diagram()
        self.diagram = d
        self.add(d)
        self.digit_grid = self.caption = self.box = self.numbers = None

    def digit_name(self) -> str:
        return f"test digit #{self.digit.index}" if self.digit.index is not None else "your image"

    def correct_examples(self) -> list[int]:
        """The first test digit of each of ``other_labels`` that the network reads correctly."""
        chosen = []
        for label in self.other_labels:
            if label == self.digit.label or len(chosen) >= self.extra_digits:
                continue
            hits = np.flatnonzero((self.labels == label) & (self.predictions == label))
            if len(hits):
                chosen.append(int(hits[0]))
        return chosen

    def mistake(self) -> int | None:
        """A test digit the network gets wrong, by ``mistake_rule`` (None if it makes no mistake)."""
        wrong = np.flatnonzero(self.predictions != self.labels)
        wrong = wrong[wrong != (self.digit.index if self.digit.index is not None else -1)]  # not shown twice
        if len(wrong) == 0:
            return None
        if self.mistake_rule == "runner_up":
            second = np.argsort(self.outputs[wrong], axis=1)[:, -2]
            close = wrong[second == self.labels[wrong]]
            if len(close):
                return int(close[0])
        return int(wrong[0])

    # -- one digit through the network ---------------------------------------------------------------
    def feed(self, name: str, pixels: np.ndarray, label: int | None, description: str, notes: str) -> None:
        """One beat: ``pixels`` (in [0, 1], flat or 28x28) flow through the network to its answer."""
        self.beat(name, notes=notes)
        d = self.diagram
        trace = self.network.forward(pixels)
        guess = int(trace.prediction)

        grid = self.digit_beside_inputs(d, pixels)
        old = [m for m in (self.digit_grid, self.caption, self.box, self.numbers) if m is not None]
        intro = Text(description, font_size=self.theme.caption_font_size).to_edge(UP, buff=0.25)
        self.play(*[FadeOut(m) for m in old], FadeIn(grid), FadeIn(intro), run_time=0.5)
        self.digit_grid = grid

        animation = propagate(d, trace, layer_time=self.layer_time)
        self.play(animation)
        self.box = animation.box

        self.numbers = numbers = d.output_numbers(trace, font_size=self.theme.number_font_size)
        caption = self.result_caption(description, label, guess)
        self.play(
            LaggedStart(*[FadeIn(n, shift=0.1 * RIGHT) for n in numbers], lag_ratio=0.05),
            FadeOut(intro),
            FadeIn(caption),
            run_time=0.6,
        )
        self.caption = caption
        self.wait(self.hold_time)

    def true_answer(self, index: int) -> None:
        """Box the true digit's output next to the network's wrong answer, with both values."""
        d = self.diagram
        label, guess = int(self.labels[index]), int(self.predictions[index])
        out = self.outputs[index]
        rank = int(np.sum(out > out[label])) + 1
        self.beat(
            "the_true_answer",
            notes=f"The true digit, {label}, got {out[label]:.2f}: "
            f"the network's choice number {rank}, behind {guess} at {out[guess]:.2f}.",
        )
        # The true digit's number is boxed (not its neuron: the winner's box may be its neighbour).
        number = self.numbers[int(np.flatnonzero(d.shown[-1] == label)[0])]
        box = SurroundingRectangle(number, color=self.theme.neuron_color, buff=self.theme.box_buff)
        ordinal = {1: "first", 2: "second", 3: "third"}.get(rank, f"number {rank}")
        caption = Text(
            f"the true digit {label} gets {out[label]:.{self.theme.decimals}f}: the network's {ordinal} choice",
            font_size=self.theme.caption_font_size,
        ).to_edge(UP, buff=0.25)
        self.play(Create(box), FadeOut(self.caption), FadeIn(caption), run_time=0.8)
        self.caption = caption
        self.wait(self.hold_time * 2)

    def result_caption(self, description: str, label: int | None, guess: int) -> Text:
        """'test digit #82: true 0, network 7 (wrong)' at the top of the frame."""
        if label is None:
            text, colors = f"{description}: network reads {guess}", {}
        elif label == guess:
            text, colors = f"{description}: true {label}, network {guess}", {}
        else:
            text = f"{description}: true {label}, network {guess} (wrong)"
            colors = {"(wrong)": self.theme.negative}
        return Text(text, font_size=self.theme.caption_font_size, t2c=colors).to_edge(UP, buff=0.25)
