"""The PowerPoint deck of ``nnviz slides --to pptx``: one slide per beat, its video and notes.

The slides are rendered exactly as for the HTML deck (:mod:`nnviz.lesson.deck`, through the
manim-slides 5.7 bridge of :mod:`nnviz.lesson.slides_compat`); manim-slides' own PowerPoint
converter (python-pptx) then writes one slide per beat with the beat's video as a movie
that starts by itself, and the beat's notes as the slide's speaker notes::

    nnviz slides FeedForward Sigmoid --to pptx --out lecture.pptx -q l

One thing is bridged: manim-slides takes each movie's poster frame (what a printout, a
thumbnail or a viewer without video shows) from the video's *first* frame, and offers only
one fixed image for all slides instead. A beat's first frame is usually the previous beat's
picture, or black, so :func:`build_pptx` has the converter read the *last* frame instead:
the picture the beat ends on. Its tqdm progress bar is silenced too (nnviz's own display has
shown the work). Nothing else of the converter is changed.

Example (slides already rendered into ``media/slides`` by ``nnviz slides``)::

    from pathlib import Path
    from nnviz.lesson.pptx_deck import build_pptx

    print(build_pptx(Path("media/slides"), ["Sigmoid"], Path("sigmoid.pptx")).summary(1))
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.atomic import check_output_path
from ..core.errors import NnvizError
from .jobs import relative

#: Deck formats of ``nnviz slides --to``, and the file suffix each writes.
DECK_FORMATS = {"html": ".html", "pptx": ".pptx"}


def check_out_path(out: Path, to: str) -> None:
    """Raise ``NnvizError`` (one line) unless ``out`` can be written as a ``to`` deck.

    >>> check_out_path(Path("lecture.pptx"), "pptx")
    >>> check_out_path(Path("lecture.html"), "pptx")
    Traceback (most recent call last):
    ...
    nnviz.core.errors.NnvizError: --out lecture.html: --to pptx writes a .pptx file; use e.g. lecture.pptx
    """
    if to not in DECK_FORMATS:
        raise NnvizError(f"--to {to}: unknown deck format; choose one of {', '.join(DECK_FORMATS)}")
    suffix = DECK_FORMATS[to]
    check_output_path(out, suffix, f"--to {to} writes a {suffix} file")


@dataclass(frozen=True)
class PptxDeck:
    """What :func:`build_pptx` wrote."""

    path: Path
    slides: int

    def summary(self, scenes: int) -> str:
        """One line for the terminal."""
        return (
            f"{relative(self.path)}: {self.slides} slides from {scenes} scene{'' if scenes == 1 else 's'} "
            "(videos, last-frame posters and speaker notes inside)"
        )


@contextmanager
def last_frame_posters() -> Iterator[None]:
    """While active, manim-slides' PowerPoint converter takes poster frames from the last frame
    (and draws no progress bar of its own: ``nnviz render``'s display has shown the work)."""
    convert: Any = importlib.import_module("manim_slides.convert")
    original, progress = convert.read_image_from_video_file, convert.tqdm

    def last_frame(file: Path, frame_index: Any = None) -> Any:
        return original(file, frame_index=convert.FrameIndex.last)

    def quiet(iterable: Any, *args: Any, **kwargs: Any) -> Any:
        return iterable

    convert.read_image_from_video_file, convert.tqdm = last_frame, quiet
    try:
        yield
    finally:
        convert.read_image_from_video_file, convert.tqdm = original, progress


def build_pptx(configs_folder: Path, scenes: list[str], out: Path) -> PptxDeck:
    """Convert the slides rendered into ``configs_folder`` into the PowerPoint file ``out``.

    Written under a temporary name and renamed when complete, so a failure leaves no ``out``.
    """
    from manim_slides.convert import PowerPoint
    from manim_slides.present import get_scenes_presentation_config

    configs = get_scenes_presentation_config(scenes, configs_folder)
    width, height = configs[0].resolution if configs else (1280, 720)
    converter = PowerPoint.model_validate({"presentation_configs": configs, "width": width, "height": height})
    partial = out.with_name(f".{out.name}.partial.pptx")
    try:
        with last_frame_posters():
            converter.convert_to(partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return PptxDeck(path=out, slides=sum(len(c.slides) for c in configs))


__all__ = ["DECK_FORMATS", "PptxDeck", "build_pptx", "check_out_path", "last_frame_posters"]
