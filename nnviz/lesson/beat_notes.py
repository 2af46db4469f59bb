"""Save each beat's notes beside its section, so captions can be made from a rendered scene.

The beat hook (:func:`nnviz.visual.beats.beat`) records ``(name, notes)`` in ``scene.beats``
and starts a manim section named after the beat; the notes themselves reach only slides.
:func:`with_beat_notes` makes a subclass of a scene that, rendered with ``--save_sections``,
adds each section's notes to manim's sections index (``sections/<Scene>.json``, key
``"notes"``), which :mod:`nnviz.lesson.captions` reads. The scene's own code is untouched:
``nnviz lecture`` and ``nnviz render --captions`` render it through a small generated file
that defines the subclass (see :func:`nnviz.lesson.lecture.captioned_job`).

Example::

    from scenes.sigmoid import Sigmoid as _Sigmoid
    from nnviz.lesson.beat_notes import with_beat_notes

    class Sigmoid(with_beat_notes(_Sigmoid)):   # manim render -ql --save_sections this.py Sigmoid
        pass
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from manim import Scene
from manim.scene.section import DefaultSectionType

from ..core.atomic import atomic_write
from ..core.errors import NnvizError
from .captions import NOTES_KEY

SceneT = TypeVar("SceneT", bound=type)

#: The attribute under which a manim Section carries the notes of the beat that started it.
_SECTION_NOTES = "nnviz_notes"


class BeatNotes(Scene):
    """Mixin (put it first): tags each section with its beat's notes; saves them after rendering."""

    _beats_seen: int = 0

    def next_section(
        self,
        name: str = "unnamed",
        section_type: str = DefaultSectionType.NORMAL,
        skip_animations: bool = False,
    ) -> None:
        super().next_section(name, section_type, skip_animations)
        beats: list[tuple[str, str]] = self.__dict__.get("beats", [])
        # A section started by a beat follows its (name, notes) record; any other has no notes.
        fresh = len(beats) > self._beats_seen and beats[-1][0] == name
        self._beats_seen = len(beats)
        sections = self.renderer.file_writer.sections
        if sections:
            setattr(sections[-1], _SECTION_NOTES, beats[-1][1] if fresh else "")

    def render(self, preview: bool = False) -> bool:
        rerun = super().render(preview)
        save_section_notes(self)
        return rerun


def save_section_notes(scene: Scene) -> None:
    """Add the notes of each saved section to the scene's sections index (no index: nothing)."""
    writer: Any = scene.renderer.file_writer
    index = getattr(getattr(writer, "output_plan", None), "section_index", None)
    if index is None or not index.is_file():
        return
    entries = json.loads(index.read_text(encoding="utf-8"))
    saved = [s for s in writer.sections if s.video is not None]
    if len(saved) != len(entries):
        return  # not the index this render wrote: leave it alone
    for entry, section in zip(entries, saved):
        entry[NOTES_KEY] = str(getattr(section, _SECTION_NOTES, "") or "")
    with atomic_write(index) as f:
        f.write(json.dumps(entries, indent=4).encode("utf-8"))


def with_beat_notes(scene_class: SceneT) -> SceneT:
    """A subclass of ``scene_class`` (same name) whose render saves each section's beat notes."""
    if not (isinstance(scene_class, type) and issubclass(scene_class, Scene)):
        raise NnvizError(f"with_beat_notes needs a manim Scene class, not {scene_class!r}")
    if issubclass(scene_class, BeatNotes):
        return scene_class
    namespace = {"__module__": scene_class.__module__, "__doc__": scene_class.__doc__}
    return type(scene_class.__name__, (BeatNotes, scene_class), namespace)  # type: ignore[return-value]


__all__ = ["BeatNotes", "save_section_notes", "with_beat_notes"]
