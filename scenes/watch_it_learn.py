"""Watch it learn: the network's own training run, from random weights to the trained network.

Render: ``manim render -ql --save_sections scenes/watch_it_learn.py WatchItLearn``.

Every number comes from the snapshots file (``--snapshots``; by default the shipped network's own
training, recorded by ``nnviz train --snapshots``): the 16 first-layer weight grids at each
snapshot (drawn as one image, cross-faded from one snapshot to the next, then held a moment
while every number shown is that snapshot's), the held-out accuracy and cost measured during
training, and the outputs for the lecturer's digit, computed by the core from each snapshot's
weights. The first epoch is plotted on its own axes (learning is fast at first),
then the whole run.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, ReplacementTransform, SurroundingRectangle, Text, VGroup, Write

from nnviz import (
    LearningCurve,
    LessonScene,
    OutputBars,
    PixelGrid,
    Snapshots,
    SnapshotText,
    WeightSheet,
    play_snapshots,
)


class WatchItLearn(LessonScene):
    """The weight grids, the learning curves and one digit's outputs, played from the recorded run."""

    #: Seconds per snapshot while playing the first epoch, and the rest of the run, and the share
    #: of it spent holding still on the snapshot reached (the rest is the cross-fade to it).
    early_time: float = 0.6
    late_time: float = 0.45
    hold: float = 0.65
    #: Height of the block of 16 weight grids; side of one pixel of the digit.
    sheet_height: float = 5.4
    digit_pixel: float = 0.06
    #: The learning curves' axes (manim units).
    plot_width: float = 3.8
    plot_height: float = 1.2
    theme_overrides: ClassVar[dict[str, float]] = {"caption_font_size": 22}
    pause: float = 1.5

    def construct(self) -> None:
        self.random_start()
        self.first_epoch()
        self.all_epochs()
        self.trained()

    # -- the numbers -------------------------------------------------------------------------------
    @property
    def run(self) -> Snapshots:
        run = self.settings.training_run()
        run.check_fits(self.network, "snapshots")
        return run

    def settings_line(self) -> str:
        s = self.run.settings
        return (
            f"trained by nnviz: {s.train_count:,} digits, {s.epochs} epochs, batch size {s.batch_size}, "
            f"learning rate {s.lr}, seed {s.seed}"
        )

    def make_clock(self) -> tuple[VGroup, list[SnapshotText]]:
        """'after 0.79 epochs = 209 mini-batches': the numbers change with the snapshot shown."""
        run, size = self.run, self.theme.caption_font_size
        epochs = SnapshotText([f"{e:.2f}" for e in run.epochs], font_size=size, edge=RIGHT, glyphs=True)
        steps = SnapshotText([str(int(s)) for s in run.steps], font_size=size, edge=RIGHT, glyphs=True)
        for number in (epochs, steps):
            number.show_at(len(run) - 1)  # lay out with the widest numbers, then show the start
        words = [Text(w, font_size=size) for w in ("after", "epochs =", "mini-batches")]
        line = VGroup(words[0], epochs, words[1], steps, words[2]).arrange(RIGHT, buff=0.15)
        for number in (epochs, steps):
            number.align_to(words[0], DOWN).show_at(0)
        return line, [epochs, steps]

    def curves(self, x_max: float, x_label: str) -> tuple[LearningCurve, LearningCurve]:
        run = self.run
        acc = LearningCurve(
            run.epochs, run.accuracy, x_max, 1.0, "held-out accuracy", x_label, percent=True,
            width=self.plot_width, height=self.plot_height, y_step=0.5,
            values=[f"{a:.1%}" for a in run.accuracy],
        )  # fmt: skip
        top = float(np.ceil(run.cost.max()))
        cost = LearningCurve(
            run.epochs, run.cost, x_max, top, "held-out cost", x_label,
            width=self.plot_width, height=self.plot_height, color=self.theme.positive,
            values=[f"{c:.2f}" for c in run.cost],
        )  # fmt: skip
        # Place by the axes (the labels around them differ in size between the two plots).
        acc.shift(2.3 * UP + 3.6 * RIGHT - acc.axes.get_center())
        cost.shift(0.15 * UP + 3.6 * RIGHT - cost.axes.get_center())
        return acc, cost

    # -- beats -------------------------------------------------------------------------------------
    def random_start(self) -> None:
        run = self.run
        self.beat(
            "random_start",
            notes=f"nnviz trained this network itself and kept {len(run)} snapshots on the way. Before "
            f"training its weights are random: it reads {run.accuracy[0]:.0%} of the held-out digits right, "
            "about what guessing gives.",
        )
        heading = Text(self.settings_line(), font_size=self.theme.caption_font_size).to_edge(UP, buff=0.2)
        self.sheet = WeightSheet(run.weights[0], height=self.sheet_height).move_to(3.8 * LEFT + 0.25 * DOWN)
        sheet_title = Text(
            f"the {run.weights[0].shape[1]} first-layer neurons' weights", font_size=self.theme.caption_font_size
        ).next_to(self.sheet, UP, buff=0.15)
        self.clock, self.clock_numbers = self.make_clock()
        self.clock.next_to(self.sheet, DOWN, buff=0.15).align_to(self.sheet, LEFT)
        self.acc, self.cost = self.curves(1.0, "epoch")
        self.add_digit()
        # The views come last in the scene: manim redraws every frame only what follows the
        # first changing mobject, so the still heading, titles and digit stay in the background.
        self.play(
            FadeIn(heading, sheet_title, self.digit_block[0], self.clock[0], self.clock[2], self.clock[4]),
            FadeIn(*self.views()),
            run_time=1.2,
        )
        self.wait(self.pause)

    def add_digit(self) -> None:
        run, digit = self.run, self.digit
        grid = PixelGrid(digit.pixels, pixel_size=self.digit_pixel, individual=False)
        self.bars = OutputBars(
            run.outputs(digit.pixels),
            true_label=digit.label,
            bar_length=2.4,
            row_height=0.26,
            font_size=self.theme.bar_font_size,
        )
        label = f"a {digit.label}" if digit.label is not None else "your digit"
        caption = Text(f"{label}: its outputs", font_size=self.theme.caption_font_size).next_to(grid, DOWN, buff=0.15)
        block = VGroup(VGroup(grid, caption), self.bars).arrange(RIGHT, buff=0.6)
        self.digit_block = block.move_to(3.1 * RIGHT + 2.6 * DOWN)

    def views(self) -> list:
        return [self.sheet, *self.clock_numbers, self.acc, self.cost, self.bars]

    def first_epoch(self) -> None:
        run = self.run
        self.epoch_end = end = run.first_at(1.0)
        self.beat(
            "first_epoch",
            notes=f"The first epoch, {run.steps[end]} mini-batches of {run.settings.batch_size} digits: held-out "
            f"accuracy climbs from {run.accuracy[0]:.0%} to {run.accuracy[end]:.0%} and the cost falls from "
            f"{run.cost[0]:.1f} to {run.cost[end]:.2f}. Most of the learning happens here.",
        )
        play_snapshots(self, self.views(), 0, end, self.early_time, self.hold)
        self.wait(self.pause)

    def all_epochs(self) -> None:
        run, end = self.run, self.epoch_end
        last = len(run) - 1
        best = int(np.argmin(run.cost))
        self.beat(
            "all_epochs",
            notes=f"The other {run.settings.epochs - 1} epochs polish: accuracy goes from {run.accuracy[end]:.1%} "
            f"to {run.accuracy[last]:.1%}. The held-out cost is lowest after {run.epochs[best]:g} epochs "
            f"({run.cost[best]:.2f}) and ends at {run.cost[last]:.2f}.",
        )
        acc, cost = self.curves(float(run.settings.epochs), "epochs")
        acc.show_at(end)
        cost.show_at(end)
        self.play(ReplacementTransform(self.acc, acc), ReplacementTransform(self.cost, cost), run_time=1.0)
        self.acc, self.cost = acc, cost
        play_snapshots(self, self.views(), end, last, self.late_time, self.hold)
        self.wait(self.pause)

    def trained(self) -> None:
        run = self.run
        answer = self.bars.answer
        final_is_taught = all(
            np.array_equal(w[-1], v)
            for w, v in zip(run.weights + run.biases, self.network.weights + self.network.biases)
        )
        same = "These are the weights of the network in this lesson. " if final_is_taught else ""
        self.beat(
            "trained",
            notes=f"{same}After training it reads {run.accuracy[-1]:.1%} of the held-out digits right, "
            f"and its brightest output for this digit is {answer}.",
        )
        box = SurroundingRectangle(self.bars.row(answer), color=self.theme.highlight, buff=0.05)
        self.play(Write(box), run_time=0.8)
        self.wait(self.pause + 0.5)
