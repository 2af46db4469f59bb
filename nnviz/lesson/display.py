"""The progress display of a render run: a status line per scene and an overall bar on stderr.

On a terminal it is a live rich display; elsewhere (a log, CI, a pipe) one plain line per
finished scene, so that the output stays readable when it is not redrawn.

Example::

    with RenderDisplay(Console(stderr=True), jobs, enabled=True) as display:
        display.status(0, "animation 3: FadeIn", 0.5)
        display.finished(0, result)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .jobs import RenderJob, RenderResult

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


def describe(result: RenderResult) -> str:
    """How a finished job ended, in a few words.

    >>> from pathlib import Path
    >>> describe(RenderResult(RenderJob("Box", Path("s.py")), returncode=1))
    'FAILED (exit 1)'
    """
    if result.returncode is None:
        return "cancelled"
    if result.returncode < 0:
        return f"stopped (signal {-result.returncode})"
    if result.up_to_date:
        return "up to date (inputs unchanged; --force re-renders)"
    if result.ok:
        cached = f", {result.cached} cached" if result.cached else ""
        plural = "" if result.animations == 1 else "s"
        return f"done in {result.seconds:.1f} s ({result.animations} animation{plural}{cached})"
    return f"FAILED (exit {result.returncode})"


class RenderDisplay:
    """Per-scene status lines and an overall bar (rich) on a terminal; plain lines elsewhere."""

    def __init__(self, console: Console, jobs: Sequence[RenderJob], enabled: bool) -> None:
        self.console = console
        self.jobs = jobs
        self.enabled = enabled
        self.live = enabled and console.is_terminal
        self.progress: Progress | None = None
        self.tasks: list[TaskID] = []
        self.done = 0
        self._lock = threading.Lock()  # jobs finish on worker threads

    def __enter__(self) -> RenderDisplay:
        if not self.live:
            return self
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        width = max(len(j.scene) for j in self.jobs) if self.jobs else 10
        self.progress = Progress(
            TextColumn(f"{{task.description:<{width}}}"),
            BarColumn(bar_width=24),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
            refresh_per_second=5,
        )
        self.tasks = [self.progress.add_task(j.scene, total=1, status="queued", start=False) for j in self.jobs]
        self.overall = self.progress.add_task("all scenes", total=len(self.jobs), status=f"0/{len(self.jobs)} done")
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def status(self, i: int, text: str, fraction: float | None) -> None:
        """Job ``i`` is doing ``text``, ``fraction`` of its current animation done."""
        if self.progress is None:
            return
        task = self.tasks[i]
        self.progress.start_task(task)
        if fraction is None:
            self.progress.update(task, status=text)
        else:  # capped below 1: a task at 100% counts as finished and its clock would stop
            self.progress.update(task, status=text, completed=min(fraction, 0.99))

    def chunks(self, i: int, done: int, total: int) -> None:
        """Job ``i`` is rendered as ``total`` chunks (on a cluster), ``done`` of them back."""
        text = f"{done}/{total} chunk{'' if total == 1 else 's'} done"
        if self.progress is not None:
            self.status(i, text, done / total if total else None)
        elif self.enabled and done:
            self.console.print(f"{self.jobs[i].scene}: {text}", highlight=False)

    def finished(self, i: int, result: RenderResult) -> None:
        """Job ``i`` ended with ``result``."""
        text = describe(result)
        with self._lock:
            self.done += 1
            self._show_finished(i, text)

    def _show_finished(self, i: int, text: str) -> None:
        if self.progress is not None:
            self.progress.update(self.tasks[i], completed=1, status=text)
            self.progress.stop_task(self.tasks[i])
            self.progress.update(self.overall, advance=1, status=f"{self.done}/{len(self.jobs)} done")
        elif self.enabled:
            self.console.print(f"[{self.done}/{len(self.jobs)}] {self.jobs[i].scene}: {text}", highlight=False)
