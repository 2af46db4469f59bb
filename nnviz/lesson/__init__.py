"""The lesson as scenes: the scene catalog, the render settings and the scenes' base class.

``LessonSettings`` and ``lesson_settings`` need only numpy; ``LessonScene`` loads manim on
first use, so the ``nnviz`` command can resolve settings without importing manim.

>>> from nnviz.lesson import lesson_settings
>>> lesson_settings().digit().label
3
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalog import SCENES, SceneEntry, find_scene, scene_names
from .settings import DEFAULT_DIGIT, Digit, LessonSettings, lesson_settings

if TYPE_CHECKING:
    from .base import DiagramLessonScene, LessonScene

__all__ = [
    "DEFAULT_DIGIT",
    "SCENES",
    "DiagramLessonScene",
    "Digit",
    "LessonScene",
    "LessonSettings",
    "SceneEntry",
    "find_scene",
    "lesson_settings",
    "scene_names",
]


def __getattr__(name: str) -> Any:
    if name in ("LessonScene", "DiagramLessonScene"):
        from . import base  # loads manim: only when a scene class is asked for

        return getattr(base, name)
    raise AttributeError(f"module 'nnviz.lesson' has no attribute {name!r}")
