"""Captions from the beat notes: one cue per beat, timed to the beat's section of the video.

A scene rendered for captions (:mod:`nnviz.lesson.beat_notes`) leaves manim's sections index,
``<video folder>/sections/<Scene>.json``, with each section's ``duration`` and the ``notes`` of
the beat that started it. A section's cue runs from the sum of the durations before it to the
end of its own; a section without notes (manim's "autocreated" one before the first beat, say)
gets no cue. This module is plain data and text: no manim, no video files opened.

>>> beats = [BeatSection("intro", 2.0, ""), BeatSection("curve", 1.5, "The sigmoid & its <curve>.")]
>>> cues = scene_cues(beats, scene="Sigmoid", offset=10.0)
>>> print(to_vtt(cues), end="")
WEBVTT
<BLANKLINE>
1 Sigmoid/curve
00:00:12.000 --> 00:00:13.500
The sigmoid &amp; its &lt;curve&gt;.
>>> print(to_srt(cues), end="")
1
00:00:12,000 --> 00:00:13,500
The sigmoid & its <curve>.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The key of a section's beat notes in manim's sections index (written by ``beat_notes``).
NOTES_KEY = "notes"
#: Caption lines are wrapped at this many characters (players wrap too; some SRT players do not).
LINE_WIDTH = 64


@dataclass(frozen=True)
class BeatSection:
    """One section of a scene's video: the beat's name, its duration in seconds, its notes."""

    name: str
    duration: float
    notes: str


@dataclass(frozen=True)
class Cue:
    """One caption: shown from ``start`` to ``end`` (seconds); ``ident`` names its scene and beat."""

    start: float
    end: float
    text: str
    ident: str = ""


def sections_index(video: Path) -> Path:
    """Where manim lists the sections of ``video``: ``<folder>/sections/<stem>.json``.

    >>> sections_index(Path("media/videos/sigmoid/480p15/Sigmoid.mp4")).as_posix()
    'media/videos/sigmoid/480p15/sections/Sigmoid.json'
    """
    return video.parent / "sections" / f"{video.stem}.json"


def read_sections(video: Path) -> list[BeatSection]:
    """The sections of a rendered ``video`` with their notes, in order; [] if it has no index."""
    try:
        entries = json.loads(sections_index(video).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    sections = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        try:
            duration = float(entry.get("duration", 0.0))
        except (TypeError, ValueError):
            duration = 0.0
        notes = entry.get(NOTES_KEY)
        sections.append(BeatSection(str(entry.get("name", "")), duration, notes if isinstance(notes, str) else ""))
    return sections


def has_notes_index(video: Path) -> bool:
    """Whether ``video``'s sections index was written by a render that saved the beat notes.

    An index without the notes key came from a plain ``--save_sections`` render.
    """
    try:
        entries = json.loads(sections_index(video).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(entries, list) and all(isinstance(e, dict) and NOTES_KEY in e for e in entries)


def clean(notes: str) -> str:
    """The notes as caption text: whitespace runs (newlines too) become one space.

    >>> clean("  A neuron\\n\\n holds   a number. ")
    'A neuron holds a number.'
    """
    return " ".join(notes.split())


def scene_cues(sections: Sequence[BeatSection], scene: str, offset: float = 0.0, end: float | None = None) -> list[Cue]:
    """The cues of one scene whose video starts at ``offset`` seconds (and ends at ``end``).

    The sections cover the whole video, so with ``end`` the last one runs up to it (their
    durations, rounded by the container, may add up to a little more or less); sections
    without notes give no cue.

    >>> [(c.start, c.end) for c in scene_cues([BeatSection("a", 1, "x"), BeatSection("b", 2, "y")], "S", 5, 7.99)]
    [(5.0, 6.0), (6.0, 7.99)]
    """
    cues = []
    start = float(offset)
    for i, section in enumerate(sections):
        stop = start + max(section.duration, 0.0)
        if end is not None:
            stop = end if i == len(sections) - 1 else min(stop, end)
        text = clean(section.notes)
        if text and stop > start:
            cues.append(Cue(start, stop, text, f"{scene}/{section.name}"))
        start = stop
    return cues


def _milliseconds(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def timestamp(seconds: float, separator: str = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT) or, with ``separator=","``, ``HH:MM:SS,mmm`` (SRT).

    >>> timestamp(3723.4567), timestamp(0.5, ",")
    ('01:02:03.457', '00:00:00,500')
    """
    ms = _milliseconds(seconds)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, LINE_WIDTH, break_on_hyphens=False) or [text]


def _vtt_escape(text: str) -> str:
    """Cue text is markup in WebVTT: ``&``, ``<`` and ``>`` are written as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timed(cues: Iterable[Cue]) -> list[Cue]:
    """The cues that last at least a millisecond once rounded, as written."""
    return [c for c in cues if _milliseconds(c.end) > _milliseconds(c.start)]


def to_vtt(cues: Iterable[Cue]) -> str:
    """The cues as a WebVTT file (what a ``<track>`` of an HTML ``<video>`` loads)."""
    blocks = ["WEBVTT"]
    for n, cue in enumerate(_timed(cues), 1):
        ident = f"{n} {cue.ident}".strip().replace("-->", "->")
        text = "\n".join(_vtt_escape(line) for line in _lines(cue.text))
        blocks.append(f"{ident}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: Iterable[Cue]) -> str:
    """The cues as a SubRip (.srt) file: numbered blocks, comma before the milliseconds."""
    blocks = []
    for n, cue in enumerate(_timed(cues), 1):
        text = "\n".join(_lines(cue.text))
        blocks.append(f"{n}\n{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}\n{text}")
    return "\n\n".join(blocks) + "\n" if blocks else ""


__all__ = [
    "NOTES_KEY",
    "BeatSection",
    "Cue",
    "clean",
    "has_notes_index",
    "read_sections",
    "scene_cues",
    "sections_index",
    "timestamp",
    "to_srt",
    "to_vtt",
]
