"""The scene side of a cluster render: a planning pass, and chunks that keep their sections.

Both run inside the manim process on a worker, as subclasses of the user's scene made by
:func:`chunk_scene` in a small generated file (:mod:`nnviz.lesson.cluster_task`):

* :class:`PlanRecorder` records, for each section (a beat), the index of the animation it
  starts at, and each animation's run time, then writes them as JSON to the file named by
  :data:`PLAN_ENV`. Rendered with every animation skipped (``-n`` past the end, ``--dry_run``)
  it runs only ``construct``: seconds even for a large diagram.
* :class:`ChunkSections` makes ``--save_sections`` work with ``-n START,END``: manim 0.22 tries
  to write a video for each section before START too, whose animations it skipped, and
  fails on the empty list. Those sections keep their place (so the others keep the index in
  their file names that a full render gives them) but get no video.

Example (a generated file)::

    from nnviz.lesson.chunk_scene import chunk_scene
    from my_scenes import Sigmoid as _Sigmoid

    class Sigmoid(chunk_scene(_Sigmoid, notes=True)):   # manim render -n 3,5 --save_sections ...
        pass
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

from manim import Scene
from manim.scene.section import DefaultSectionType

from ..core.atomic import atomic_write
from ..core.errors import NnvizError
from .beat_notes import with_beat_notes

SceneT = TypeVar("SceneT", bound=type)

#: The environment variable naming the JSON file a planning pass writes.
PLAN_ENV = "NNVIZ_CHUNK_PLAN"


class ChunkSections(Scene):
    """Mixin (put it first): sections wholly before ``-n START`` are kept but not saved."""

    def setup(self) -> None:
        super().setup()
        writer: Any = self.renderer.file_writer
        combine = writer.combine_to_section_videos

        def combine_drawn_sections() -> None:
            for section in writer.sections:
                if section.video is not None and not section.get_clean_partial_movie_files():
                    section.video = None  # every animation of it was skipped: not this chunk's
            combine()

        writer.combine_to_section_videos = combine_drawn_sections


class PlanRecorder(Scene):
    """Mixin (put it first): records where each section starts and each animation's run time."""

    def setup(self) -> None:
        super().setup()
        self._nnviz_beats: list[tuple[str, int]] = []
        self._nnviz_run_times: list[float] = []

    def next_section(
        self,
        name: str = "unnamed",
        section_type: str = DefaultSectionType.NORMAL,
        skip_animations: bool = False,
    ) -> None:
        self._nnviz_beats.append((name, self.renderer.num_plays))
        super().next_section(name, section_type, skip_animations)

    def play(self, *args: Any, **kwargs: Any) -> None:
        super().play(*args, **kwargs)
        self._nnviz_run_times.append(float(self.duration))

    def render(self, preview: bool = False) -> bool:
        rerun = super().render(preview)
        target = os.environ.get(PLAN_ENV)
        if target:
            plan = {"beats": self._nnviz_beats, "run_times": self._nnviz_run_times}
            with atomic_write(Path(target)) as f:
                f.write(json.dumps(plan).encode("utf-8"))
        return rerun


def chunk_scene(scene_class: SceneT, *, notes: bool = False, plan: bool = False) -> SceneT:
    """A subclass of ``scene_class`` (same name) for a chunk, or with ``plan`` for the planning pass.

    Either way it records the scene's plan (:class:`PlanRecorder`) when :data:`PLAN_ENV` is set.

    ``notes`` also saves each beat's notes in the sections index
    (:func:`~nnviz.lesson.beat_notes.with_beat_notes`), as ``nnviz lecture`` needs.
    """
    if not (isinstance(scene_class, type) and issubclass(scene_class, Scene)):
        raise NnvizError(f"chunk_scene needs a manim Scene class, not {scene_class!r}")
    base: type = with_beat_notes(scene_class) if notes else scene_class
    # Every run records its plan: one that reaches the end gives the client the scene's plan.
    mixins = (PlanRecorder,) if plan else (PlanRecorder, ChunkSections)
    namespace = {"__module__": scene_class.__module__, "__doc__": scene_class.__doc__}
    return type(scene_class.__name__, (*mixins, base), namespace)  # type: ignore[return-value]


__all__ = ["PLAN_ENV", "ChunkSections", "PlanRecorder", "chunk_scene"]
