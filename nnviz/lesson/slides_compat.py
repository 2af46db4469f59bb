"""manim-slides 5.7 on manim 0.22: the three config changes it trips on, bridged in one place.

manim-slides 5.7.0 (the newest release) was written for manim < 0.22. Its ``Slide`` talks to
manim's global ``config`` in three ways that manim 0.22 no longer accepts:

1. ``config["write_to_movie"] = True`` in ``Slide.__init__``: the key is gone in 0.22 (a
   video ``--format`` alone decides that a movie is written), so setting it raises
   ``AttributeError``. Bridged: setting a key manim no longer has is a no-op.
2. ``config["max_files_cached"] = float("inf")`` in ``Slide.render`` (manim-slides needs every
   partial movie kept): 0.22 takes an int >= -1, with -1 for "no limit". Bridged: infinity
   becomes -1 when manim rejects it.
3. ``config["flush_cache"]`` read in ``Slide.render``: gone in 0.22 (no ``--flush_cache``).
   Bridged: it reads as ``False``; a slide class's own ``flush_cache = True`` still works.

Nothing else of manim-slides is changed: :func:`install` swaps the ``config`` name that
``manim_slides.slide.manim`` uses for a :class:`SlidesConfig` view of manim's config that
translates those three keys and passes everything else through. Each translation only
happens when manim refuses the original, so on manim < 0.22 the view changes nothing.
Remove this module when a manim-slides release supports manim 0.22.

Example (a file of your own rendered with ``manim-slides render`` on manim 0.22)::

    from nnviz.lesson.slides_compat import install
    from nnviz.visual.beats import as_slide
    from my_scenes import Lesson

    install()
    LessonSlides = as_slide(Lesson)

``nnviz slides`` does this for you.
"""

from __future__ import annotations

import importlib
import math
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..core.errors import NnvizError, install_hint

# The release this bridge was written and tested against; pyproject pins the same one.
MANIM_SLIDES_VERSION = "5.7.0"

SLIDES_MISSING = "manim-slides is not installed; install the slides extra: " + install_hint("slides")

# Keys manim < 0.22 had and 0.22 removed. Writing one of them is a no-op, reading gives this.
REMOVED_KEYS: dict[str, Any] = {"write_to_movie": True, "flush_cache": False}


def check_installed() -> None:
    """Raise ``NnvizError`` unless the manim-slides release this bridge knows is installed.

    Fast: manim-slides' package only defines lazy names, so this loads neither it nor manim.
    """
    try:
        importlib.import_module("manim_slides")
        installed = version("manim-slides")
    except (ImportError, PackageNotFoundError):
        raise NnvizError(SLIDES_MISSING) from None
    if installed != MANIM_SLIDES_VERSION:
        raise NnvizError(
            f"manim-slides {installed} is installed, but nnviz's bridge to manim 0.22 is for "
            f"{MANIM_SLIDES_VERSION}; install it with " + install_hint("slides")
        )


def _has_key(config: Any, key: str) -> bool:
    return hasattr(type(config), key)


class SlidesConfig:
    """manim's ``config`` as manim-slides 5.7 expects it; see the module docstring.

    >>> from manim import config
    >>> view = SlidesConfig(config)
    >>> view["flush_cache"]
    False
    >>> view["pixel_height"] == config["pixel_height"]
    True
    """

    def __init__(self, config: Any) -> None:
        object.__setattr__(self, "_config", config)

    @property
    def wrapped(self) -> Any:
        """The manim config this view reads and writes."""
        return self._config

    def __getitem__(self, key: str) -> Any:
        if key in REMOVED_KEYS and not _has_key(self._config, key):
            return REMOVED_KEYS[key]
        return self._config[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if key in REMOVED_KEYS and not _has_key(self._config, key):
            return
        if key == "max_files_cached" and isinstance(value, float) and math.isinf(value):
            try:
                self._config[key] = value
            except ValueError:  # manim 0.22: an int >= -1, and -1 means no limit
                self._config[key] = -1
            return
        self._config[key] = value

    def __contains__(self, key: object) -> bool:
        return key in REMOVED_KEYS or key in self._config

    def __getattr__(self, name: str) -> Any:
        return getattr(self._config, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._config, name, value)


def install() -> None:
    """Make manim-slides' ``Slide`` and ``ThreeDSlide`` work on this manim. Safe to call again.

    Call it before a slide scene is instantiated (the generated files of ``nnviz slides`` call
    it at import). Raises ``NnvizError`` when manim-slides is missing or another release.
    """
    check_installed()
    slide_module: Any = importlib.import_module("manim_slides.slide.manim")
    if not isinstance(slide_module.config, SlidesConfig):
        slide_module.config = SlidesConfig(slide_module.config)


def is_installed() -> bool:
    """Whether :func:`install` has run in this process (manim-slides already imported)."""
    module = sys.modules.get("manim_slides.slide.manim")
    return module is not None and isinstance(module.config, SlidesConfig)


__all__ = ["MANIM_SLIDES_VERSION", "SlidesConfig", "check_installed", "install", "is_installed"]
