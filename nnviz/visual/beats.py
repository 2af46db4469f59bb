"""The beat hook: one call marks each pause of a lesson, for video and for slides alike.

On a plain manim :class:`~manim.scene.scene.Scene`, ``beat(scene, name)`` starts a new section
named ``name`` (render with ``--save_sections`` to get one video per beat, named
``<Scene>_<index>_<name>.mp4``). On a manim-slides ``Slide`` it starts a new slide with the
speaker ``notes``. manim-slides is optional (the ``slides`` extra): nothing here imports
it until :func:`as_slide` is called.

Example::

    from manim import Scene, Circle, Create, FadeOut
    from nnviz.visual.beats import BeatScene

    class Lesson(BeatScene):
        def construct(self):
            self.beat("circle", notes="A neuron holds a number.")
            circle = Circle()
            self.play(Create(circle))
            self.beat("goodbye")
            self.play(FadeOut(circle))

    # manim render -ql --save_sections lesson.py Lesson      -> one video per beat
    # LessonSlides = as_slide(Lesson)                       -> the same lesson as slides
"""

from __future__ import annotations

import importlib
import logging
from typing import Any, TypeVar

from manim import Scene

from ..core.errors import NnvizError, install_hint
from .cairo_paths import cache_cairo_paths
from .formula_store import share_compiled_formulas
from .frame_encoding import encode_frames_in_place
from .svg_paths import lean_svg_paths

logger = logging.getLogger("nnviz")

SLIDES_HINT = "manim-slides is not installed: " + install_hint("slides")

SceneT = TypeVar("SceneT", bound=type)


def is_slide(scene: object) -> bool:
    """Whether ``scene`` is a manim-slides Slide (it has ``next_slide``), without importing it.

    >>> is_slide(Scene())
    False
    """
    return callable(getattr(scene, "next_slide", None))


def beat(scene: Scene, name: str, notes: str = "", pause: float = 0.0) -> None:
    """Mark the start of the beat ``name``: a section on a Scene, a slide on a manim-slides Slide.

    ``notes`` are the speaker notes of a slide. ``pause`` > 0 waits that long first, in video
    only (a slide waits for the presenter anyway). Every beat is recorded, in order, as
    ``(name, notes)`` in ``scene.beats``.

    Example::

        class Sigmoid(Scene):
            def construct(self):
                beat(self, "curve", notes="The sigmoid squishes the real line into (0, 1).")
                self.play(Create(ActivationPlot()))
    """
    if not isinstance(name, str) or not name.strip():
        raise NnvizError(f"a beat needs a non-empty name, not {name!r}")
    if pause < 0:
        raise NnvizError(f"pause must be >= 0, not {pause}")
    scene.__dict__.setdefault("beats", []).append((name, notes))
    if is_slide(scene):
        # manim-slides >= 5: positional arguments go on to Scene.next_section (the name).
        scene.next_slide(name, notes=notes)  # type: ignore[attr-defined]
        return
    if pause > 0:
        scene.wait(pause)
    if notes:
        logger.debug("beat %s: %s", name, notes)
    scene.next_section(name)


class BeatScene(Scene):
    """A Scene with ``self.beat(name, notes)``: the base class of the lesson's scenes.

    Example::

        class Intro(BeatScene):
            def construct(self):
                self.beat("title", notes="What is a neural network?")
                self.play(Write(Text("Neural networks")))
    """

    def setup(self) -> None:
        super().setup()
        # The same video with less work: frames encoded with less copying and converting, Cairo
        # paths that stand still built once, VMobjects that would leave no trace not drawn, glyphs
        # copied without the parsed SVG they were built from, formulas compiled once per machine.
        encode_frames_in_place()
        cache_cairo_paths()
        lean_svg_paths()
        share_compiled_formulas()

    def beat(self, name: str, notes: str = "", pause: float = 0.0) -> None:
        """See :func:`beat`."""
        beat(self, name, notes=notes, pause=pause)


def slides_available() -> bool:
    """Whether manim-slides can be imported (it is an optional extra).

    Example::

        LessonSlides = as_slide(Lesson) if slides_available() else None
    """
    try:
        importlib.import_module("manim_slides")
    except ImportError:
        return False
    return True


def as_slide(scene_class: SceneT, name: str | None = None) -> SceneT:
    """The manim-slides variant of ``scene_class``: a subclass that also is a ``manim_slides.Slide``.

    Its beats become slides with speaker notes. Define it in the file you render, since
    ``manim-slides render FILE`` lists the classes of FILE only. Raises a clear error when
    manim-slides is not installed (:func:`~nnviz.core.errors.install_hint`).

    Example::

        from nnviz.visual.beats import as_slide
        from scenes.sigmoid import Sigmoid

        SigmoidSlides = as_slide(Sigmoid)  # manim-slides render this_file.py SigmoidSlides
    """
    if not (isinstance(scene_class, type) and issubclass(scene_class, Scene)):
        raise NnvizError(f"as_slide needs a manim Scene class, not {scene_class!r}")
    try:
        slides: Any = importlib.import_module("manim_slides")
    except ImportError as error:
        raise NnvizError(SLIDES_HINT) from error
    from manim import ThreeDScene

    slide_class = slides.ThreeDSlide if issubclass(scene_class, ThreeDScene) else slides.Slide
    if issubclass(scene_class, slide_class):
        return scene_class
    new_name = name or f"{scene_class.__name__}Slides"
    namespace = {"__module__": scene_class.__module__, "__doc__": scene_class.__doc__}
    return type(new_name, (scene_class, slide_class), namespace)  # type: ignore[return-value]


__all__ = ["BeatScene", "as_slide", "beat", "is_slide", "slides_available"]
