"""The beat hook: one section file per beat on a Scene, one slide with notes on a Slide."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from manim import Circle, Create, FadeOut, Scene, Square, Transform, tempconfig

from nnviz.core.errors import NnvizError
from nnviz.visual.beats import SLIDES_HINT, BeatScene, as_slide, beat, is_slide

BEATS = [("circle", "A neuron holds a number."), ("square", ""), ("goodbye", "That is all.")]


class ThreeBeats(BeatScene):
    def construct(self) -> None:
        self.beat(*BEATS[0])
        circle = Circle()
        self.play(Create(circle), run_time=0.5)
        self.beat(*BEATS[1])
        self.play(Transform(circle, Square()), run_time=0.5)
        beat(self, *BEATS[2], pause=0.2)  # the function form, with a pause that ends the last beat
        self.play(FadeOut(circle), run_time=0.5)


def render(scene_class: type[Scene], media_dir: Path) -> Scene:
    with tempconfig(
        {
            "media_dir": str(media_dir),
            "quality": "low_quality",
            "save_sections": True,
            "disable_caching": True,
            "progress_bar": "none",
            "verbosity": "WARNING",
            "notify_outdated_version": False,
        }
    ):
        scene = scene_class()
        scene.render()
    return scene


def test_each_beat_is_a_section_file_named_after_it(tmp_path: Path) -> None:
    scene = render(ThreeBeats, tmp_path)
    files = sorted(p.name for p in tmp_path.rglob("sections/*.mp4"))
    assert files == [f"ThreeBeats_{i:04}_{name}.mp4" for i, (name, _) in enumerate(BEATS)]
    assert all(p.stat().st_size > 0 for p in tmp_path.rglob("sections/*.mp4"))
    assert scene.beats == BEATS


class FakeSlide(Scene):
    """Stands in for manim_slides.Slide: records next_slide calls, keeps sections like Slide does."""

    def next_slide(self, *args: object, notes: str = "", **kwargs: object) -> None:
        self.__dict__.setdefault("slides", []).append((args, notes))
        Scene.next_section(self, *args, **kwargs)  # type: ignore[arg-type]


def test_on_a_slide_the_beat_is_a_slide_with_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("manim_slides")
    fake.Slide = FakeSlide  # type: ignore[attr-defined]
    fake.ThreeDSlide = FakeSlide  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "manim_slides", fake)
    slides_class = as_slide(ThreeBeats)
    assert slides_class.__name__ == "ThreeBeatsSlides"
    assert issubclass(slides_class, ThreeBeats) and issubclass(slides_class, FakeSlide)
    assert as_slide(slides_class) is slides_class
    scene = render(slides_class, tmp_path)
    assert is_slide(scene) and not is_slide(ThreeBeats())
    assert scene.slides == [((name,), notes) for name, notes in BEATS]  # type: ignore[attr-defined]


def test_as_slide_without_manim_slides_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "manim_slides", None)  # makes the import fail
    with pytest.raises(NnvizError, match=r"pip install -e '\.\[slides\]'"):
        as_slide(ThreeBeats)
    assert "pip install -e '.[slides]'" in SLIDES_HINT


def test_bad_beats_are_refused() -> None:
    scene = ThreeBeats()
    with pytest.raises(NnvizError, match="non-empty name"):
        beat(scene, "  ")
    with pytest.raises(NnvizError, match="pause"):
        beat(scene, "x", pause=-1)
    with pytest.raises(NnvizError, match="Scene class"):
        as_slide(object)  # type: ignore[arg-type]


def test_importing_nnviz_visual_does_not_import_manim_slides() -> None:
    import nnviz.visual  # noqa: F401

    assert "manim_slides" not in sys.modules or sys.modules["manim_slides"] is None
