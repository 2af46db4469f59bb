"""Scene 6 — why layers: the hope that they find edges, then loops and lines, then digits.

Real digits of the embedded test split are cut into parts by masks computed from their pixels:

* a 9 into its loop (the ink within ``loop_reach`` pixels of the background it encloses) and the
  line (the rest of its ink);
* an 8 into two loops (each inked pixel goes to the nearer of its two enclosed holes);
* a 4 into three lines (the widest rows are the bar; above it two strokes are followed row by row;
  below it the stem);
* the 9's loop into little edges (its pixels split by their angle around the hole's centre).

The masks come from :mod:`nnviz.core.regions`. The digits are the first of their label in the
test split whose pixels have that structure (one enclosed hole for a 9, two for an 8, none for a
4), found at render time. The scene says plainly that this is a hope — what the layers *might*
learn — and not what the trained network does (scene 13, ``WhatTheNetworkLearned``, shows that).

Render::

    manim render -ql scenes/why_layers.py WhyLayers
"""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    GrowArrow,
    MathTex,
    Text,
    VGroup,
    Write,
)

from nnviz import (
    LessonScene,
    NetworkDiagram,
    PixelGrid,
    enclosed_holes,
    load_dataset,
    split_eight,
    split_four,
    split_loop,
    split_nine,
)


class WhyLayers(LessonScene):
    """The hope behind the layers, drawn from real digits: edges make loops and lines make digits."""

    #: A pixel is ink when its gray level is at least this (faint edge pixels follow their part).
    ink_level: float = 0.1
    #: The 9's loop: its ink within this many pixels of the enclosed hole.
    loop_reach: int = 2
    #: The loop is cut into this many little edges.
    edge_pieces: int = 6
    #: The exploded loop: its 28x28 source image is this many times ``grid_height`` tall, and each
    #: little edge moves this fraction of that height away from the loop's centre.
    explode_scale: float = 1.6
    explode_gap: float = 0.07
    #: Sizes (manim units / points) and the x of the grids in a "digit = part + part" row.
    grid_height: float = 2.6
    small_height: float = 1.05
    diagram_height: float = 4.6
    #: Typography by role (nnviz.theme); the only formulas are the big = and + between the grids.
    theme_overrides: ClassVar[dict[str, float]] = {"title_font_size": 36, "caption_font_size": 26, "math_font_size": 56}
    row_y: float = -0.1
    #: Seconds: the pause after each beat.
    pause: float = 1.4

    def construct(self) -> None:
        self.find_digits()
        self.state_the_hope()
        self.nine_is_loop_and_line()
        self.eight_is_two_loops()
        self.four_is_three_lines()
        self.loop_is_little_edges()
        self.layers_might_learn()

    # -- the digits -----------------------------------------------------------------------------
    def find_digits(self) -> None:
        """The first 9 with one enclosed hole, 8 with two and 4 with none, and their parts."""
        test = load_dataset()
        images = test.inputs().reshape(test.images.shape)  # gray levels in [0, 1], one 2-D image each
        wanted = {9: 1, 8: 2, 4: 0}
        self.index: dict[int, int] = {}
        for label, holes in wanted.items():
            for i in np.flatnonzero(test.labels == label):
                if len(enclosed_holes(images[i])) == holes:
                    self.index[label] = int(i)
                    break
            else:  # pragma: no cover - the embedded split has all three
                raise RuntimeError(f"no {label} with {holes} enclosed holes in the test split")
        self.pixels = {label: images[i] for label, i in self.index.items()}
        ink = {label: p >= self.ink_level for label, p in self.pixels.items()}
        self.parts = {
            9: split_nine(self.pixels[9], ink[9], self.loop_reach),
            8: split_eight(self.pixels[8], ink[8]),
            4: split_four(self.pixels[4], ink[4]),
        }
        self.edges = split_loop(self.pixels[9], self.parts[9][0], self.edge_pieces)

    def _grid(
        self,
        label: int,
        mask: np.ndarray | None = None,
        color: str | None = None,
        height: float | None = None,
        frame: bool = True,
    ) -> PixelGrid:
        """The real digit ``label`` (only the pixels of ``mask``), optionally recoloured."""
        values = self.pixels[label] if mask is None else self.pixels[label] * mask
        grid = PixelGrid(values, individual=False, frame=frame).scale_to_fit_height(height or self.grid_height)
        if color is not None:
            grid.pixels.set_fill(color=color)  # keeps each pixel's opacity (its gray level)
        return grid

    @property
    def part_colors(self) -> list[str]:
        t = self.theme
        return [t.highlight, t.positive, t.negative]

    # -- beats ----------------------------------------------------------------------------------
    def state_the_hope(self) -> None:
        self.beat(
            "the_hope",
            notes="Why layers at all? Here is the hope behind them — what the layers might learn. "
            "It is a hope, not a description of the trained network.",
        )
        self.title = Text("The hope behind the layers", font_size=self.theme.title_font_size).to_edge(UP, buff=0.4)
        sub = Text("what the layers might learn — a hope, not a fact", font_size=self.theme.caption_font_size)
        sub.next_to(self.title, DOWN, buff=0.2)
        self.subtitle = sub
        self.diagram = NetworkDiagram(self.network).scale_to_fit_height(self.diagram_height)
        self.diagram.next_to(sub, DOWN, buff=0.4)
        hidden = len(self.network.sizes) - 2
        question = Text(f"why {_in_words(hidden)} hidden layers?", font_size=self.theme.caption_font_size)
        question.next_to(self.diagram, DOWN, buff=0.25)
        self.diagram_view = VGroup(self.diagram, question)
        self.play(Write(self.title), FadeIn(self.diagram), run_time=1.2)
        self.play(FadeIn(sub, shift=0.2 * DOWN), FadeIn(question), run_time=0.8)
        self.wait(self.pause)

    def nine_is_loop_and_line(self) -> None:
        self.beat(
            "nine",
            notes=f"A nine (test digit {self.index[9]}) is a loop up top and a line: the loop is the ink "
            "around the hole it encloses, the line is the rest.",
        )
        self.play(FadeOut(self.diagram_view), run_time=0.6)
        self.nine_row = self._decompose(9, ["loop on top", "a line"], "+")
        self.wait(self.pause)

    def eight_is_two_loops(self) -> None:
        self.beat(
            "eight",
            notes=f"An eight (test digit {self.index[8]}) is two loops: every inked pixel belongs to the "
            "nearer of its two holes.",
        )
        self.play(FadeOut(self.nine_row), run_time=0.6)
        self.eight_row = self._decompose(8, ["upper loop", "lower loop"], "+")
        self.wait(self.pause)

    def four_is_three_lines(self) -> None:
        self.beat(
            "four",
            notes=f"A four (test digit {self.index[4]}) is three lines: two strokes and the bar across.",
        )
        self.play(FadeOut(self.eight_row), run_time=0.6)
        self.four_row = self._decompose(4, ["left line", "bar", "right line"], "+")
        self.wait(self.pause)

    def loop_is_little_edges(self) -> None:
        n = len(self.edges)
        self.beat(
            "little_edges",
            notes=f"And a loop is itself made of little edges: the nine's loop, cut into {n} short pieces "
            "by their direction from the loop's centre.",
        )
        loop = self._grid(9, self.parts[9][0], self.part_colors[0]).move_to(3.6 * LEFT + self.row_y * UP)
        caption = Text("the 9's loop", font_size=self.theme.caption_font_size).next_to(loop, DOWN, buff=0.2)
        pieces = VGroup(
            *(self._grid(9, mask, self.part_colors[0], frame=False).move_to(loop) for _, mask in self.edges)
        )
        exploded = self._exploded(self.explode_scale * self.grid_height).move_to(3.0 * RIGHT + self.row_y * UP)
        equals = MathTex("=", font_size=self.theme.math_font_size).move_to(
            [(loop.get_right()[0] + exploded.get_left()[0]) / 2, self.row_y, 0]
        )
        label = Text(f"{n} little edges", font_size=self.theme.caption_font_size).next_to(exploded, DOWN, buff=0.25)
        label.set_y(caption.get_y())
        self.play(FadeOut(self.four_row), FadeIn(loop), FadeIn(caption), run_time=0.8)
        self.add(pieces)
        self.play(
            *(piece.animate.become(target) for piece, target in zip(pieces, exploded)),
            FadeIn(equals),
            run_time=1.8,
        )
        self.play(FadeIn(label), run_time=0.6)
        self.wait(self.pause)
        self.edges_view = VGroup(loop, caption, pieces, equals, label)

    def layers_might_learn(self) -> None:
        self.beat(
            "might_learn",
            notes="So the hope: the first hidden layer picks out little edges, the second combines them "
            "into loops and lines, and the output layer combines those into digits. Whether the trained "
            "network really does this we check later, in what the network learned.",
        )
        t = self.theme
        h = self.small_height
        loop_color, line_color = self.part_colors[0], self.part_colors[1]
        edges = self._exploded(2.2 * h)
        patterns = VGroup(
            self._grid(9, self.parts[9][0], loop_color, h),
            self._grid(8, self.parts[8][0], loop_color, h),
            self._grid(9, self.parts[9][1], line_color, h),
            self._grid(4, self.parts[4][1], line_color, h),
        ).arrange_in_grid(rows=2, buff=0.2)
        digits = VGroup(*(self._grid(label, height=h) for label in (9, 8, 4))).arrange(DOWN, buff=0.2)
        columns = VGroup(edges, patterns, digits).arrange(RIGHT, buff=2.2).move_to(0.45 * UP)
        names = [("layer 1", "little edges"), ("layer 2", "loops and lines"), ("output layer", "digits")]
        heads = VGroup()
        for column, (layer, what) in zip(columns, names):
            head = VGroup(
                Text(layer, font_size=self.theme.caption_font_size),
                Text(what, font_size=self.theme.caption_font_size, color=t.highlight),
            ).arrange(DOWN, buff=0.1)
            heads.add(head.set_x(column.get_x()))
        heads.to_edge(UP, buff=0.35)
        for head, column in zip(heads, columns):
            head.set_x(column.get_x())
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.3, stroke_width=4) for a, b in pairwise(columns)))
        caveat = (
            VGroup(
                Text("A hope, not a fact: what the layers might learn.", font_size=self.theme.caption_font_size),
                Text("What the trained network really learned comes later.", font_size=self.theme.caption_font_size),
            )
            .arrange(DOWN, buff=0.12)
            .to_edge(DOWN, buff=0.3)
        )
        self.play(FadeOut(self.edges_view), FadeOut(self.title), FadeOut(self.subtitle), run_time=0.6)
        self.play(FadeIn(edges), FadeIn(heads[0]), run_time=0.7)
        self.play(GrowArrow(arrows[0]), FadeIn(patterns), FadeIn(heads[1]), run_time=0.8)
        self.play(GrowArrow(arrows[1]), FadeIn(digits), FadeIn(heads[2]), run_time=0.8)
        self.play(FadeIn(caveat), run_time=0.8)
        self.wait(self.pause + 1.0)

    def _exploded(self, height: float) -> VGroup:
        """The loop's little edges, frameless, each pushed out from the loop's centre.

        ``height`` is the height of the (28x28) image the pieces are cut from; each piece moves
        ``explode_gap`` of it along its direction.
        """
        group = VGroup()
        for angle, mask in self.edges:
            piece = self._grid(9, mask, self.part_colors[0], height, frame=False)
            piece.shift(self.explode_gap * height * np.array([np.cos(angle), np.sin(angle), 0.0]))
            group.add(piece)
        # Centre the group on the loop's pixels, not on the (mostly empty) 28x28 images.
        loop_rows, loop_cols = np.nonzero(self.parts[9][0])
        side = self.pixels[9].shape[0]
        offset = np.array([(loop_cols.mean() + 0.5) / side - 0.5, 0.5 - (loop_rows.mean() + 0.5) / side, 0.0])
        group.shift(-offset * height)
        return group

    # -- helpers --------------------------------------------------------------------------------
    def _decompose(self, label: int, names: list[str], symbol: str) -> VGroup:
        """Show the real digit, colour its parts in place, then pull them apart: digit = part + part."""
        whole = self._grid(label)
        parts = [self._grid(label, mask, color) for mask, color in zip(self.parts[label], self.part_colors)]
        slots = VGroup(whole.copy(), *(p.copy() for p in parts)).arrange(RIGHT, buff=0.9)
        slots.move_to(self.row_y * UP)
        whole.move_to(slots[0])
        for p in parts:
            p.move_to(whole)
        symbols = VGroup(
            *(
                MathTex("=" if i == 0 else symbol, font_size=self.theme.math_font_size).move_to(
                    (slots[i].get_right() + slots[i + 1].get_left()) / 2
                )
                for i in range(len(parts))
            )
        )
        captions = VGroup(
            Text(f"test digit #{self.index[label]}", font_size=self.theme.caption_font_size).next_to(
                whole, DOWN, buff=0.2
            ),
            *(
                Text(name, font_size=self.theme.caption_font_size, color=color).next_to(slot, DOWN, buff=0.2)
                for name, color, slot in zip(names, self.part_colors, slots[1:])
            ),
        )
        self.play(FadeIn(whole), FadeIn(captions[0]), run_time=0.8)
        self.play(*(FadeIn(p) for p in parts), run_time=0.8)
        self.play(
            *(p.animate.move_to(slot) for p, slot in zip(parts, slots[1:])),
            FadeIn(symbols),
            FadeIn(captions[1:]),
            run_time=1.4,
        )
        return VGroup(whole, *parts, symbols, captions)


def _in_words(n: int) -> str:
    """Small counts as words ('two'), as prose writes them; larger ones as digits."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if 0 <= n < len(words) else str(n)


__all__ = ["WhyLayers"]
