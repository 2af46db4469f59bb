"""Installing nnviz's faster versions of a few manim methods, once per process.

:func:`~nnviz.visual.frame_encoding.encode_frames_in_place`,
:func:`~nnviz.visual.cairo_paths.cache_cairo_paths` and
:func:`~nnviz.visual.svg_paths.lean_svg_paths` each replace methods of one manim class with
:func:`patch_once`, :func:`~nnviz.visual.formula_store.share_compiled_formulas` a function of
two manim modules: only where the class or module has what the replacement relies on, and only
once.

    >>> class Camera:
    ...     def draw(self): return "drawn"
    >>> patch_once(Camera, "_fast", ("draw",), lambda: {"draw": lambda self: "drawn fast"})
    True
    >>> Camera().draw()
    'drawn fast'
    >>> patch_once(Camera, "_other", ("missing",), lambda: {})  # another manim: left as it is
    False
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["patch_once"]


def patch_once(cls: object, flag: str, needed: Iterable[str], replacements: Callable[[], dict[str, Any]]) -> bool:
    """Set the attributes ``replacements()`` gives on ``cls`` (a class or module) and mark it with ``flag``.

    True when they are in place, now or from an earlier call (the class is marked); False, with
    the class unchanged, when it lacks one of the attributes ``needed`` (a manim that differs).
    ``replacements`` is called only when the class is changed, so it may wrap the methods it
    replaces.
    """
    if getattr(cls, flag, False):
        return True
    if not all(hasattr(cls, name) for name in needed):
        return False
    for name, value in replacements().items():
        setattr(cls, name, value)
    setattr(cls, flag, True)
    return True
