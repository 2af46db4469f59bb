"""Reading what a manim process prints: progress, the file it wrote, and a log to keep.

manim reports through rich log lines and tqdm bars; neither is an API, so everything that
depends on their wording is here, in one place to fix when manim changes it.

>>> from pathlib import Path
>>> from nnviz.lesson.jobs import RenderJob, RenderResult
>>> result = RenderResult(RenderJob("Box", Path("scenes.py")))
>>> watcher = ManimLogWatcher(result, on_status=lambda text, fraction: None)
>>> watcher.feed("INFO     File ready at '/tmp/media/videos/scenes/480p15/Box.mp4'")
>>> watcher.feed("INFO     Rendered Box")
>>> watcher.feed("         Played 3 animations")
>>> result.output, result.animations
(PosixPath('/tmp/media/videos/scenes/480p15/Box.mp4'), 3)
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from .jobs import RenderJob, RenderOptions, RenderResult
from .media_folder import nnviz_dir

#: How many of a failed job's last log lines the report shows.
TAIL_LINES = 12
#: A job's status: a short text, and the fraction of the current animation done (or None).
StatusCallback = Callable[[str, float | None], None]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TQDM = re.compile(r"^Animation (\d+): (.*?):\s+(\d+)%\|")
_CACHED = re.compile(r"Animation (\d+) : Using cached data")
_READY = re.compile(r"File ready at\s*'([^']+)'")
_PLAYED = re.compile(r"Played (\d+) animations")


class ManimLogWatcher:
    """Reads one manim process's merged output, line by line, into its :class:`RenderResult`.

    It tracks the animation in progress (through ``on_status``), cached animations, the
    number played and the output file; it keeps the log lines (not the progress bars).
    """

    def __init__(self, result: RenderResult, on_status: StatusCallback) -> None:
        self.result = result
        self.on_status = on_status
        self.tail: deque[str] = deque(maxlen=200)
        self.ready_pending = False
        self.log_lines: list[str] = []

    def feed(self, line: str) -> None:
        """Take one line of output (tqdm's ``\\r`` redraws count as lines)."""
        line = _ANSI.sub("", line).rstrip()
        if not line.strip():
            return
        m = _TQDM.match(line.strip())
        if m:  # tqdm's bar of one animation: progress, not log
            index, name, pct = int(m[1]), m[2], int(m[3])
            self.on_status(f"animation {index}: {name[:40]}", pct / 100)
            return
        self.log_lines.append(line)
        self.tail.append(line)
        text = " ".join(line.split())
        if self.ready_pending and "'" in text:
            self.ready_pending = False
            text = "File ready at " + text
        if m := _READY.search(text):
            self.result.output = Path(m[1])
        elif "File ready at" in text:  # the path is wrapped onto the next line
            self.ready_pending = True
        elif m := _CACHED.search(text):
            self.result.cached += 1
            self.on_status(f"animation {m[1]}: cached", None)
        elif "Combining to Movie file" in text:
            self.on_status("combining animations", None)
        elif m := _PLAYED.search(text):
            self.result.animations = int(m[1])

    def last_lines(self) -> list[str]:
        """The last :data:`TAIL_LINES` log lines, for a failure report."""
        return list(self.tail)[-TAIL_LINES:]


def write_log(media_dir: Path, job: RenderJob, lines: list[str]) -> Path | None:
    """Keep a job's full log as ``<media_dir>/nnviz/<file>.<Scene>.log``; None if unwritable."""
    path = nnviz_dir(media_dir) / f"{job.key}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path


def find_output(options: RenderOptions, job: RenderJob, since: float) -> Path | None:
    """Fallback when manim's log did not name the file: the newest matching file in media_dir.

    ``since`` is the ``time.monotonic()`` at which the job started.
    """
    wall_since = time.time() - (time.monotonic() - since) - 1
    top = options.media_dir / ("images" if options.format == "png" else "videos")
    candidates = [
        p for p in top.rglob(f"{job.output_name}.{options.format}")
        if "partial_movie_files" not in p.parts and p.stat().st_mtime >= wall_since
    ]  # fmt: skip
    return max(candidates, key=lambda p: p.stat().st_mtime, default=None)


def section_files(folder: Path, name: str) -> list[Path]:
    """The section videos manim listed in ``<folder>/sections/<name>.json``, in order."""
    index = folder / "sections" / f"{name}.json"
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [folder / "sections" / e["video"] for e in entries if isinstance(e, dict) and "video" in e]
