"""Render scenes with the manim CLI in parallel processes, behind one progress display.

Each scene is one ``python -m manim render`` process (the same Python as nnviz), so a scene
that crashes or leaks cannot take the others down. The output file is named after the
scene (``-o``) and found from manim's "File ready at" line. Three things a plain parallel
``manim render`` gets wrong or slow are handled here:

* each process has a TeX and text cache folder of its own, under ``media/nnviz/`` where
  manim never cleans (:mod:`~nnviz.lesson.media_folder`): with a shared one, parallel
  MathTex compiles delete each other's files;
* manim's animation cache is kept (no ``--disable_caching`` unless asked);
* with ``reuse``, a scene whose inputs are unchanged since its last render is not rendered
  again at all (:mod:`~nnviz.lesson.fingerprint`).

The family, one idea per module: :mod:`~nnviz.lesson.jobs` (what to render, the results),
:mod:`~nnviz.lesson.media_folder` (per-job config and folders),
:mod:`~nnviz.lesson.fingerprint` (up-to-date check), :mod:`~nnviz.lesson.render_log`
(reading manim's output), :mod:`~nnviz.lesson.process` (one process, its peak memory),
:mod:`~nnviz.lesson.display` (the progress display) and this module, which runs them all.
Its names are the public API and stay importable from here. ``--cluster`` sends the same jobs
to Dask workers instead, scenes cut at their beats (:mod:`~nnviz.lesson.cluster`).

Example::

    from pathlib import Path
    from nnviz.lesson.render import RenderJob, RenderOptions, run_renders

    jobs = [RenderJob("Sigmoid", Path("scenes/sigmoid.py"))]
    [result] = run_renders(jobs, RenderOptions(quality="l"), workers=1)
    print(result.output)     # media/videos/sigmoid/480p15/Sigmoid.mp4
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

from .display import RenderDisplay
from .fingerprint import FINGERPRINT_ENV, fingerprint
from .jobs import (
    ALPHA_FORMATS,
    FORMATS,
    QUALITIES,
    VIDEO_FORMATS,
    RenderJob,
    RenderOptions,
    RenderResult,
    manim_command,
    relative,
)
from .media_folder import folder_media_dir, job_config, repair_media_dir
from .process import ProcessTable, run_job
from .render_log import TAIL_LINES

__all__ = [
    "ALPHA_FORMATS",
    "FINGERPRINT_ENV",
    "FORMATS",
    "QUALITIES",
    "TAIL_LINES",
    "VIDEO_FORMATS",
    "RenderJob",
    "RenderOptions",
    "RenderResult",
    "fingerprint",
    "folder_media_dir",
    "job_config",
    "manim_command",
    "relative",
    "run_renders",
]


def run_renders(
    jobs: Sequence[RenderJob],
    options: RenderOptions,
    *,
    workers: int,
    env: Mapping[str, str] | None = None,
    progress: bool = True,
    reuse: bool = False,
) -> list[RenderResult]:
    """Render ``jobs`` in up to ``workers`` parallel manim processes; results in job order.

    ``env`` is added to this process's environment (e.g. the ``NNVIZ_*`` settings). With
    ``reuse``, a job whose :func:`fingerprint` matches its last successful render is not
    run again (manim would replay every animation from its cache, which costs about half
    of a first render for a large diagram: hashing and copying every mobject). With
    ``progress``, one display on stderr shows a status line per scene and an overall bar on
    a terminal, and one line per finished scene otherwise. A failing scene does not stop
    the others. Ctrl-C stops every manim process, removes the files of the scenes it cut short
    (finished scenes keep theirs) and re-raises ``KeyboardInterrupt``. ``nnviz`` installs its own
    SIGINT handler, so this holds even when it was started with SIGINT ignored (in the background).
    """
    from rich.console import Console

    console = Console(stderr=True)
    child_env = {**os.environ, **(env or {})}
    # Wide lines so rich does not wrap manim's "File ready at '<path>'" log line.
    child_env.update({"COLUMNS": "1000", "PYTHONUNBUFFERED": "1"})
    options.media_dir.mkdir(parents=True, exist_ok=True)
    # A media folder rendered in by an older nnviz has job folders in manim's Tex/, where a
    # plain `manim render` crashes on them.
    repair_media_dir(options.media_dir)
    table = ProcessTable()
    display = RenderDisplay(console, jobs, enabled=progress)

    def work(i: int) -> RenderResult:
        def on_status(text: str, fraction: float | None) -> None:
            display.status(i, text, fraction)

        result = run_job(jobs[i], options, child_env, on_status, table, reuse)
        display.finished(i, result)
        return result

    with display, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        try:
            futures = [pool.submit(work, i) for i in range(len(jobs))]
            return [f.result() for f in futures]
        except KeyboardInterrupt:
            table.terminate_all()  # returns when every manim process is gone
            raise
