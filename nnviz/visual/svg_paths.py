"""Glyphs of Text and MathTex without the parsed SVG path they were built from: copies 10x cheaper.

manim builds every glyph of a ``Text`` or ``MathTex`` as a ``VMobjectFromSVGPath`` from a
parsed SVG path (svgelements' ``Path``: an object per segment, per point) and keeps that path on
the glyph after its Bézier points are made. manim uses it for nothing more, yet every copy of the
glyph deep-copies it: ``Transform``, ``.animate``, ``FadeIn`` and the SVG cache (each formula
built twice is a copy) all copy mobjects, and a formula of 40 glyphs took 20 ms to copy instead
of 1.6 ms. :func:`lean_svg_paths` makes a glyph drop the parsed path once its points exist: its
points, colours and so every frame stay the same.

Every :class:`~nnviz.visual.beats.BeatScene` (so every lesson scene) installs it in ``setup``;
a plain manim scene can call it there too.

    >>> lean_svg_paths()  # calling it again changes nothing
    True
"""

from __future__ import annotations

from typing import Any

from .patching import patch_once

__all__ = ["lean_svg_paths"]

_PATCHED = "_nnviz_drops_svg_paths"


def _wrap(original: Any) -> Any:
    def generate_points(self: Any) -> Any:
        if "path_obj" not in self.__dict__:  # made already, and the path dropped: the points stay
            return self
        original(self)
        # The points are made; after this the parsed path would only be copied along.
        del self.path_obj
        return self

    return generate_points


def lean_svg_paths() -> bool:
    """Make manim's SVG glyphs drop their parsed SVG path once their points are built.

    Returns False where manim differs (it then stays as it is). Glyphs built before the call
    keep their paths.
    """
    try:
        from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
    except ImportError:
        return False
    if "generate_points" not in vars(VMobjectFromSVGPath):  # the glyph's own (it reads path_obj), not Mobject's
        return False
    wrapped = VMobjectFromSVGPath.generate_points
    return patch_once(VMobjectFromSVGPath, _PATCHED, (), lambda: {"generate_points": _wrap(wrapped)})
