"""Cairo paths built once and replayed while their points stay the same; invisible ones not drawn.

manim 0.22's Cairo camera hands every VMobject to Cairo one Bézier curve at a time, a Python
call per curve, every frame it draws it. For a path of thousands of curves that does not change
shape, such as a picture's merged pixel levels fading in (only its colours change), that loop is
most of the frame's cost. :func:`cache_cairo_paths` makes the camera keep the path Cairo built
(``Context.copy_path``) for each long VMobject and append it again (``Context.append_path``) as
long as the VMobject's points and the camera's transformation are unchanged: Cairo receives the
same path, so the picture is the same. Any change of the points, by a move or a morph, builds the
path anew.

It also skips VMobjects that would leave no trace: fill and stroke (background stroke too) all
below :data:`INVISIBLE` alpha, or of width 0, such as the black pixels of an ``individual``
:class:`~nnviz.visual.pixels.PixelGrid` (most of a digit) or a group fading in from 0. Cairo
stores a colour's alpha in 16 bits and an alpha below 1e-6 is 0 there: drawing it changes no
pixel.

Every :class:`~nnviz.visual.beats.BeatScene` (so every lesson scene) installs it in ``setup``;
a plain manim scene can call it there too.

    >>> cache_cairo_paths()  # calling it again changes nothing
    True
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .patching import patch_once

__all__ = ["cache_cairo_paths"]

_PATCHED = "_nnviz_caches_cairo_paths"
#: Below this alpha Cairo draws nothing (its 16-bit alpha rounds to 0).
INVISIBLE = 1e-6
#: Paths with fewer points than this are built directly: the check would cost about what it saves.
MIN_POINTS = 16


class _Built:
    """One VMobject's last path: its points (as bytes), the context's matrix, Cairo's copy of the path."""

    __slots__ = ("matrix", "path", "points")

    def __init__(self, points: bytes, matrix: Any) -> None:
        self.points, self.matrix, self.path = points, matrix, None


def _wrap(original: Any) -> Any:
    built: weakref.WeakKeyDictionary[Any, _Built] = weakref.WeakKeyDictionary()

    def set_cairo_context_path(self: Any, ctx: Any, vmobject: Any) -> Any:
        points = vmobject.points
        if len(points) < MIN_POINTS or type(self).transform_points_pre_display is not _BASE_TRANSFORM:
            return original(self, ctx, vmobject)
        key = points.tobytes()  # bit for bit: cheaper than comparing arrays, and never too lenient
        matrix = ctx.get_matrix()
        last = built.get(vmobject)
        if last is not None and last.points == key and last.matrix == matrix:
            if last.path is not None:
                ctx.new_path()
                ctx.append_path(last.path)
                return self
            # Drawn the same twice in a row: worth keeping from now on.
            original(self, ctx, vmobject)
            last.path = ctx.copy_path()
            return self
        # New or changed: remember only its points (a moving path changes every frame).
        original(self, ctx, vmobject)
        built[vmobject] = _Built(key, matrix)
        return self

    return set_cairo_context_path


def _clear(rgbas: np.ndarray) -> bool:
    if len(rgbas) == 1:  # the usual single colour: a scalar test
        return bool(rgbas[0, 3] < INVISIBLE)
    return bool(np.all(rgbas[:, 3] < INVISIBLE))


def invisible(vmobject: Any) -> bool:
    """Whether drawing ``vmobject`` would change no pixel: clear fill, and each stroke clear or of width 0."""
    return (
        _clear(vmobject.get_fill_rgbas())
        and (vmobject.get_stroke_width() == 0 or _clear(vmobject.get_stroke_rgbas()))
        and (vmobject.get_stroke_width(True) == 0 or _clear(vmobject.get_stroke_rgbas(True)))
    )


def _wrap_display(original: Any) -> Any:
    def display_vectorized(self: Any, vmobject: Any, ctx: Any) -> Any:
        if invisible(vmobject):
            return self
        return original(self, vmobject, ctx)

    return display_vectorized


_BASE_TRANSFORM: Any = None


def cache_cairo_paths() -> bool:
    """Install the path cache and the skipping of invisible VMobjects into manim's Cairo camera.

    Returns False where manim differs (its camera then stays as it is).

    Only cameras that draw points as they are (manim's ``Camera``, ``MovingCamera``: no
    ``transform_points_pre_display`` of their own) use it.
    """
    try:
        from manim.camera.camera import Camera
    except ImportError:
        return False
    needed = ("set_cairo_context_path", "transform_points_pre_display", "display_vectorized")

    def replacements() -> dict[str, Any]:
        global _BASE_TRANSFORM
        _BASE_TRANSFORM = Camera.transform_points_pre_display
        return {
            "set_cairo_context_path": _wrap(Camera.set_cairo_context_path),
            "display_vectorized": _wrap_display(Camera.display_vectorized),
        }

    return patch_once(Camera, _PATCHED, needed, replacements)
