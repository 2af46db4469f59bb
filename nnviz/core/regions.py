"""Regions of a digit image: the holes its ink encloses, distances, runs of ink, and its parts.

The lesson's "why layers" beat cuts real digits into the loops and lines a layer might learn.
Every cut is computed from the digit's pixels (a 2-D array of gray levels in [0, 1]):

* :func:`enclosed_holes` — the background a digit's ink encloses (the inside of its loops);
* :func:`chessboard_distance`, :func:`dilate`, :func:`runs` — the measuring tools;
* :func:`split_nine`, :func:`split_eight`, :func:`split_four` — a 9 into its loop and line, an
  8 into two loops, a 4 into three lines; :func:`split_loop` — a loop into little edges.

The image processing is scipy.ndimage's; only what it has no word for (following strokes row
by row, cutting by angle) is written out here.

>>> eight = np.zeros((9, 5))
>>> eight[[0, 4, 8], 1:4] = eight[:, [1, 3]] = 1.0    # two stacked rings of ink
>>> [int(hole.sum()) for hole in enclosed_holes(eight, min_size=1)]
[3, 3]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The distance of a pixel to a region without pixels: further than any real distance.
FAR = int(np.iinfo(np.int64).max)
# Every pixel touches its 8 neighbours (a stroke grows diagonally too).
_EIGHT_NEIGHBOURS = np.ones((3, 3), dtype=bool)


def enclosed_holes(pixels: npt.ArrayLike, ink_level: float = 0.5, min_size: int = 3) -> list[BoolArray]:
    """The regions of background a digit's ink encloses (the inside of its loops), as masks.

    Background is every pixel below ``ink_level``; what cannot be reached from the border through
    background (4-neighbours) is enclosed. Regions (4-connected) smaller than ``min_size`` pixels
    are dropped. Returned top to bottom (by their mean row).
    """
    background = np.asarray(pixels) < ink_level
    # binary_fill_holes and label both connect 4-neighbours by default, as the background does here.
    enclosed = np.asarray(ndimage.binary_fill_holes(~background), dtype=bool) & background
    labels, count = ndimage.label(enclosed)
    regions = [np.asarray(labels == k) for k in range(1, int(count) + 1)]
    regions = [m for m in regions if m.sum() >= min_size]
    return sorted(regions, key=lambda m: float(np.nonzero(m)[0].mean()))


def chessboard_distance(mask: npt.ArrayLike) -> IntArray:
    """For every pixel, the chessboard distance (max of row and column steps) to the nearest pixel of ``mask``.

    Pixels of the mask are at 0; with an empty mask every pixel is :data:`FAR`.

    >>> chessboard_distance(np.arange(5) == 1).tolist()
    [1, 0, 1, 2, 3]
    >>> int(chessboard_distance(np.arange(25).reshape(5, 5) == 12)[0, 0])
    2
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return np.full(mask.shape, FAR, dtype=np.int64)
    return np.asarray(ndimage.distance_transform_cdt(~mask, metric="chessboard"), dtype=np.int64)


def dilate(mask: npt.ArrayLike, steps: int) -> BoolArray:
    """``mask`` grown by ``steps`` pixels in the 8 directions; outside the image counts as empty.

    >>> int(dilate(np.arange(25).reshape(5, 5) == 12, 1).sum())
    9
    """
    mask = np.asarray(mask, dtype=bool)
    if steps <= 0:  # scipy reads iterations < 1 as "until nothing changes"
        return mask.copy()
    return np.asarray(ndimage.binary_dilation(mask, structure=_EIGHT_NEIGHBOURS, iterations=steps), dtype=bool)


def runs(row: npt.ArrayLike) -> list[tuple[int, int]]:
    """The runs of True in a row, as (start, end) with end exclusive.

    >>> runs([0, 1, 1, 0, 1])
    [(1, 3), (4, 5)]
    """
    idx = np.flatnonzero(row)
    if len(idx) == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.r_[idx[0], idx[breaks + 1]].tolist()
    ends = (np.r_[idx[breaks], idx[-1]] + 1).tolist()
    return list(zip(starts, ends))


def split_nine(pixels: npt.ArrayLike, ink: BoolArray, loop_reach: int) -> list[BoolArray]:
    """[loop, line] of a 9 with one enclosed hole.

    The loop is the ink within ``loop_reach`` pixels of the hole or not below the hole's bottom
    row; the line is the ink below, further from the hole.
    """
    pixels = np.asarray(pixels)
    (hole,) = enclosed_holes(pixels)
    bottom = int(np.nonzero(hole)[0].max())
    rows = np.arange(pixels.shape[0])[:, None]
    loop = ink & ((chessboard_distance(hole) <= loop_reach) | (rows <= bottom))
    return [loop, ink & ~loop]


def split_eight(pixels: npt.ArrayLike, ink: BoolArray) -> list[BoolArray]:
    """[upper loop, lower loop] of an 8 with two enclosed holes: each inked pixel goes to the nearer hole.

    Ties go to the upper loop.
    """
    upper, lower = enclosed_holes(pixels)
    to_upper = chessboard_distance(upper) <= chessboard_distance(lower)
    return [ink & to_upper, ink & ~to_upper]


def split_four(
    pixels: npt.ArrayLike, ink: BoolArray, bar_level: float = 0.25, bar_share: float = 0.6
) -> list[BoolArray]:
    """[left line, bar, right line] of an open 4.

    The bar is the rows around the row with the longest run of ink (``pixels >= bar_level``) whose
    longest run is at least ``bar_share`` of it. Above the bar the runs of each row go to the left
    or the right stroke, whichever's centre (followed row by row upwards) is nearer; below it the
    run nearest the stem (followed upwards from the bottom) is the right line and any other run the
    bar's underside. Pixels left over go to the nearest part.
    """
    strong = np.asarray(pixels) >= bar_level
    longest = np.array([max((e - s for s, e in runs(row)), default=0) for row in strong])
    peak = int(np.argmax(longest))
    top = bottom = peak
    while top > 0 and longest[top - 1] >= bar_share * longest[peak]:
        top -= 1
    while bottom < len(longest) - 1 and longest[bottom + 1] >= bar_share * longest[peak]:
        bottom += 1
    left, bar, right = (np.zeros_like(ink) for _ in range(3))
    bar[top : bottom + 1] = ink[top : bottom + 1]
    _follow_strokes_up(ink, top, left, right)
    _follow_stem_down(ink, bottom, bar, right)
    parts = [left, bar, right]
    rest = ink & ~(left | bar | right)
    if rest.any():
        owner = np.argmin(np.stack([chessboard_distance(p) for p in parts]), axis=0)
        for k, part in enumerate(parts):
            part |= rest & (owner == k)
    return parts


def _follow_strokes_up(ink: BoolArray, top: int, left: BoolArray, right: BoolArray) -> None:
    """Above the bar: each run of a row joins the stroke (left or right) whose last centre is nearer."""
    centres: list[float] | None = None
    for r in range(top - 1, -1, -1):
        row_runs = runs(ink[r])
        mids = [(s + e - 1) / 2 for s, e in row_runs]
        if centres is None:
            if len(row_runs) < 2:
                continue  # the strokes are followed from the first row where both show
            centres = [mids[0], mids[-1]]
        for (s, e), m in zip(row_runs, mids):
            side = int(abs(m - centres[1]) < abs(m - centres[0]))
            (right if side else left)[r, s:e] = True
            centres[side] = m


def _follow_stem_down(ink: BoolArray, bottom: int, bar: BoolArray, right: BoolArray) -> None:
    """Below the bar, from the bottom row up: the run nearest the stem is the right line, others the bar."""
    stem: float | None = None
    for r in range(ink.shape[0] - 1, bottom, -1):
        row_runs = runs(ink[r])
        if not row_runs:
            continue
        mids = [(s + e - 1) / 2 for s, e in row_runs]
        stem = mids[-1] if stem is None else stem
        nearest = int(np.argmin([abs(m - stem) for m in mids]))
        for k, (s, e) in enumerate(row_runs):
            (right if k == nearest else bar)[r, s:e] = True
        stem = mids[nearest]


def split_loop(pixels: npt.ArrayLike, loop: BoolArray, pieces: int, min_size: int = 3) -> list[tuple[float, BoolArray]]:
    """The loop cut into ``pieces`` wedges by angle around its (one) hole's centre: [(angle, mask)].

    Angles in radians, counter-clockwise from the right as on screen (rows grow downwards);
    wedges with fewer than ``min_size`` pixels are dropped.
    """
    (hole,) = enclosed_holes(pixels)
    r0, c0 = (float(v.mean()) for v in np.nonzero(hole))
    r, c = np.mgrid[0 : loop.shape[0], 0 : loop.shape[1]]
    angle = np.arctan2(r0 - r, c - c0)
    wedge = np.floor((angle + np.pi) / (2 * np.pi / pieces)).astype(int) % pieces
    out = []
    for k in range(pieces):
        mask = loop & (wedge == k)
        if mask.sum() >= min_size:
            out.append((-np.pi + (k + 0.5) * 2 * np.pi / pieces, mask))
    return out


__all__ = [
    "FAR",
    "chessboard_distance",
    "dilate",
    "enclosed_holes",
    "runs",
    "split_eight",
    "split_four",
    "split_loop",
    "split_nine",
]
