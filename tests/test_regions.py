"""Region analysis of digit images (nnviz.core.regions) on small hand-drawn arrays."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.regions import (
    FAR,
    chessboard_distance,
    dilate,
    enclosed_holes,
    runs,
    split_eight,
    split_four,
    split_loop,
    split_nine,
)


def drawing(*rows: str) -> np.ndarray:
    """Gray levels from text: '#' is ink (1.0), '+' faint ink (0.3), anything else background."""
    return np.array([[{"#": 1.0, "+": 0.3}.get(ch, 0.0) for ch in row] for row in rows])


EIGHT = drawing(
    ".......",
    ".#####.",
    ".#...#.",
    ".#...#.",
    ".#####.",
    ".#...#.",
    ".#...#.",
    ".#####.",
    ".......",
)
NINE = drawing(
    ".......",
    ".#####.",
    ".#...#.",
    ".#...#.",
    ".#####.",
    ".....#.",
    ".....#.",
    ".....#.",
    ".......",
)
FOUR = drawing(
    "..........",
    ".#....#...",
    ".#....#...",
    ".#....#...",
    ".########.",
    "......#...",
    "......#...",
    "..........",
)


def test_enclosed_holes_are_the_background_the_ink_surrounds_top_to_bottom() -> None:
    upper, lower = enclosed_holes(EIGHT)
    assert upper.sum() == lower.sum() == 6
    assert upper[2:4, 2:5].all() and lower[5:7, 2:5].all()
    assert enclosed_holes(FOUR) == []


def test_enclosed_holes_connect_background_through_edges_not_corners() -> None:
    # The hole's corner touches the outside diagonally: still enclosed (4-neighbours only).
    ring = drawing(
        "#.###",
        ".#..#",
        "##..#",
        "#####",
    )
    (hole,) = enclosed_holes(ring, min_size=1)
    assert hole.sum() == 4 and not hole[0, 1]


def test_small_holes_are_dropped_and_faint_ink_is_background() -> None:
    speck = drawing("###", "#.#", "###")
    assert enclosed_holes(speck) == []  # 1 pixel < min_size 3
    assert len(enclosed_holes(speck, min_size=1)) == 1
    faint = drawing("#####", "#...#", "#...#", "++#++")
    assert enclosed_holes(faint) == []  # 0.3 < ink_level 0.5: the bottom is open
    assert len(enclosed_holes(faint, ink_level=0.2)) == 1


def test_chessboard_distance() -> None:
    mask = np.zeros((5, 5), dtype=bool)
    mask[1, 1] = True
    d = chessboard_distance(mask)
    assert d.dtype == np.int64
    assert d[1, 1] == 0 and d[0, 0] == 1 and d[2, 2] == 1 and d[4, 4] == 3 and d[1, 4] == 3
    assert (chessboard_distance(np.zeros((2, 3), dtype=bool)) == FAR).all()


def test_dilate_grows_in_eight_directions_and_stops_at_the_border() -> None:
    mask = np.zeros((5, 5), dtype=bool)
    mask[0, 0] = True
    assert dilate(mask, 1).sum() == 4
    assert dilate(mask, 2).sum() == 9
    assert np.array_equal(dilate(mask, 0), mask) and dilate(mask, 0) is not mask


def test_runs() -> None:
    assert runs([0, 1, 1, 0, 0, 1, 1, 1]) == [(1, 3), (5, 8)]
    assert runs([1, 0, 1]) == [(0, 1), (2, 3)]
    assert runs(np.zeros(4, dtype=bool)) == []


def test_split_nine_into_loop_and_line() -> None:
    ink = NINE > 0
    loop, line = split_nine(NINE, ink, loop_reach=1)
    assert not (loop & line).any() and np.array_equal(loop | line, ink)
    assert loop[1:5].sum() == ink[1:5].sum()  # down to the hole's bottom row, and 1 pixel below it
    assert line.sum() == 3 and line[5:8, 5].all()  # the tail, further than 1 pixel from the hole
    _, longer = split_nine(NINE, ink, loop_reach=0)
    assert longer.sum() == 8 and longer[4].sum() == 5  # reach 0: the loop ends at the hole's bottom row


def test_split_eight_gives_each_pixel_to_the_nearer_hole() -> None:
    ink = EIGHT > 0
    upper, lower = split_eight(EIGHT, ink)
    assert np.array_equal(upper | lower, ink) and not (upper & lower).any()
    assert upper[1].all() == ink[1].all() and upper[1, 1:6].all()
    assert lower[7, 1:6].all()
    assert upper[4, 1:6].all()  # the middle bar is as near to both: ties go up


def test_split_four_into_two_strokes_and_the_bar() -> None:
    ink = FOUR > 0
    left, bar, right = split_four(FOUR, ink)
    assert np.array_equal(left | bar | right, ink)
    assert bar[4].sum() == 8 and bar.sum() == 8
    assert left.sum() == 3 and left[1:4, 1].all()
    assert right.sum() == 5 and right[1:4, 6].all() and right[5:7, 6].all()


def test_split_loop_cuts_by_angle_counter_clockwise_from_the_right() -> None:
    loop = EIGHT > 0
    loop[5:] = False  # the upper ring of the 8 alone: a 0 with one hole
    pixels = np.where(loop, 1.0, 0.0)
    wedges = split_loop(pixels, loop, pieces=4, min_size=1)
    angles = [a for a, _ in wedges]
    assert angles == pytest.approx([-3 * np.pi / 4, -np.pi / 4, np.pi / 4, 3 * np.pi / 4])
    assert np.array_equal(np.logical_or.reduce([m for _, m in wedges]), loop)
    (_, lower_left), (_, lower_right), (_, upper_right), (_, upper_left) = wedges
    assert lower_left[4, 1] and lower_right[4, 5] and upper_right[1, 5] and upper_left[1, 1]
