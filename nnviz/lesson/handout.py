"""The printable handout of ``nnviz handout``: a PDF page per beat, its last frame and its notes.

Each scene is rendered as for ``nnviz lecture`` (:func:`nnviz.lesson.lecture.captioned`):
with ``--save_sections``, one video per beat, and the beat notes saved in manim's sections
index (:mod:`nnviz.lesson.beat_notes`). A page holds the scene's title, the beat's name, the
beat's **last frame**, decoded from its section video with PyAV (the picture manim drew, never
redrawn), and the beat's notes under it. The PDF is laid out by reportlab (the ``handout``
extra) on A4 or US Letter::

    nnviz handout FeedForward Sigmoid --out lesson.pdf -q l
    nnviz handout --all --paper letter --out chapter1.pdf

Example (scenes already rendered with :func:`~nnviz.lesson.lecture.captioned`)::

    pages = beat_pages(result, "The sigmoid")          # result: a RenderResult
    write_handout(pages, Path("sigmoid.pdf"), paper="a4")
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.atomic import check_output_path
from ..core.errors import NnvizError, install_hint
from .captions import NOTES_KEY, clean, sections_index
from .jobs import RenderResult

#: Paper sizes of ``--paper``, in PostScript points (1/72 inch).
PAPERS = {"a4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
#: A Unicode TrueType font for the notes (Debian's fonts-dejavu-core); else reportlab's Helvetica.
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf")
HANDOUT_MISSING = "reportlab is not installed; install the handout extra: " + install_hint("handout")


@dataclass(frozen=True)
class BeatPage:
    """One page of the handout: the scene's title, the beat's name, its last frame, its notes."""

    title: str
    beat: str
    picture: Any  # a PIL image
    notes: str


def check_installed() -> None:
    """Raise ``NnvizError`` unless reportlab (the ``handout`` extra) can be imported."""
    try:
        import reportlab  # noqa: F401
    except ImportError:
        raise NnvizError(HANDOUT_MISSING) from None


def check_handout_path(out: Path) -> None:
    """Raise ``NnvizError`` (one line) unless ``out`` can be written as the handout PDF.

    >>> check_handout_path(Path("lesson.pdf"))
    >>> check_handout_path(Path("lesson.txt"))
    Traceback (most recent call last):
    ...
    nnviz.core.errors.NnvizError: --out lesson.txt: the handout is a PDF file; use e.g. lesson.pdf
    """
    check_output_path(out, ".pdf", "the handout is a PDF file")


def last_frame(video: Path) -> Any:
    """The last frame of ``video`` as an RGB PIL image, decoded with PyAV."""
    import av

    frame = None
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):  # noqa: B007 - only the last one is kept
            pass
    if frame is None:
        raise NnvizError(f"{video}: has no video frames")
    return frame.to_image().convert("RGB")


def beat_pages(result: RenderResult, title: str) -> list[BeatPage]:
    """The pages of one scene rendered with sections and beat notes: one per saved section."""
    if result.output is None:
        raise NnvizError(f"{result.job.scene}: was not rendered")
    index = sections_index(result.output)
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NnvizError(f"{result.job.scene}: no sections index at {index}; render it with its beats") from None
    pages = []
    for entry in entries:
        video = index.parent / str(entry.get("video", ""))
        if not video.is_file():
            raise NnvizError(f"{result.job.scene}: the section video {video} is missing")
        notes = entry.get(NOTES_KEY)
        text = clean(notes) if isinstance(notes, str) else ""
        pages.append(BeatPage(title, str(entry.get("name", "")), last_frame(video), text))
    return pages


def _font() -> tuple[str, str]:
    """A regular and a bold font name registered with reportlab: DejaVu Sans, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONT_FILES:
        bold = path.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
        if Path(path).is_file() and Path(bold).is_file():
            if "NnvizSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("NnvizSans", path))
                pdfmetrics.registerFont(TTFont("NnvizSans-Bold", bold))
            return "NnvizSans", "NnvizSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_handout(pages: Sequence[BeatPage], out: Path, paper: str = "a4") -> int:
    """Write ``pages`` as the PDF ``out`` (``paper``: a4 or letter); returns the page count.

    Written under a temporary name and renamed when complete, so a failure leaves no ``out``.
    """
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    if paper not in PAPERS:
        raise NnvizError(f"--paper {paper}: choose one of {', '.join(PAPERS)}")
    if not pages:
        raise NnvizError("no beats to put in the handout")
    regular, bold = _font()
    title_style = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=2 * mm)
    beat_style = ParagraphStyle("beat", fontName=regular, fontSize=10, leading=13, textColor="#555555")
    notes_style = ParagraphStyle("notes", fontName=regular, fontSize=12, leading=17)
    width, height = PAPERS[paper]
    margin = 18 * mm
    frame_width = width - 2 * margin
    story: list[Any] = []
    for number, page in enumerate(pages):
        if number:
            story.append(PageBreak())
        png = io.BytesIO()
        page.picture.save(png, format="PNG")
        png.seek(0)
        w, h = page.picture.size
        story += [
            Paragraph(_escape(page.title), title_style),
            Paragraph(_escape(f"Beat: {page.beat.replace('_', ' ')}"), beat_style),
            Spacer(1, 4 * mm),
            Image(png, width=frame_width, height=frame_width * h / w),
            Spacer(1, 6 * mm),
            Paragraph(_escape(page.notes) or "<i>(no notes for this beat)</i>", notes_style),
        ]
    partial = out.with_name(f".{out.name}.partial.pdf")
    try:
        doc = SimpleDocTemplate(
            str(partial),
            pagesize=(width, height),
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            title=pages[0].title if len({p.title for p in pages}) == 1 else "nnviz handout",
            author="nnviz",
        )
        doc.build(story)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return len(pages)


__all__ = [
    "PAPERS",
    "BeatPage",
    "beat_pages",
    "check_handout_path",
    "check_installed",
    "last_frame",
    "write_handout",
]
