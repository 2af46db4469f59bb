"""One render job as one ``python -m manim render`` process: start, watch, reap, report.

A scene that crashes or leaks runs in a process of its own, so it cannot take the others
down; its exit code, peak memory and last log lines go into its :class:`RenderResult`.

Ctrl-C stops the run (:meth:`ProcessTable.terminate_all`): each manim process is asked to stop
as Ctrl-C asks it (SIGINT: manim then deletes the movie segment it was writing), terminated if
it does not, and an interrupted job's unfinished files are removed (:func:`remove_unfinished`).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .fingerprint import fingerprint, save_stamp, up_to_date
from .jobs import RenderJob, RenderOptions, RenderResult, manim_command
from .media_folder import job_config
from .render_log import ManimLogWatcher, StatusCallback, find_output, section_files, write_log

#: How Ctrl-C stops the manim processes: each step sends its signal to those still running,
#: then waits up to its seconds. A terminal's Ctrl-C reaches them itself, so the first step
#: only waits; a process started in the background hears of it only from nnviz.
STOP_STEPS: tuple[tuple[signal.Signals | None, float], ...] = (
    (None, 1.0),
    (signal.SIGINT, 5.0),
    (signal.SIGTERM, 2.0),
    (signal.SIGKILL, 2.0),
)


@dataclass
class ProcessTable:
    """The running manim processes of one run, so that Ctrl-C can stop them all."""

    procs: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def start(self, command: Sequence[str], env: Mapping[str, str]) -> subprocess.Popen[bytes] | None:
        """Start ``command`` with its output on a pipe, unless the run was cancelled (then None).

        Checked and registered under the lock, so no process starts unseen by :meth:`terminate_all`.
        """
        with self.lock:
            if self.cancelled.is_set():
                return None
            proc = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=dict(env),
            )
            self.procs[proc.pid] = proc
            return proc

    def forget(self, proc: subprocess.Popen[bytes]) -> None:
        """``proc`` has exited and been reaped."""
        with self.lock:
            self.procs.pop(proc.pid, None)

    def terminate_all(self, steps: Sequence[tuple[signal.Signals | None, float]] = STOP_STEPS) -> None:
        """Stop every running process and wait until they are gone; jobs not started yet will not start.

        Each of ``steps`` sends its signal to the processes still running, then waits up to its
        seconds for them to exit (the job threads reap them). Ctrl-C again skips to the last step.
        """
        self.cancelled.set()
        for i, (sig, seconds) in enumerate(steps):
            with self.lock:
                running = list(self.procs.values())
            if not running:
                return
            for proc in running:
                if sig is not None and proc.returncode is None:
                    with contextlib.suppress(ProcessLookupError):  # exited meanwhile
                        os.kill(proc.pid, sig)  # not proc.send_signal: it would reap the process here
            try:
                self._wait_for_exits(seconds)
            except KeyboardInterrupt:  # impatient: straight to the last, firmest step
                if i < len(steps) - 1:
                    self.terminate_all(steps[-1:])
                return

    def _wait_for_exits(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if not self.procs:
                    return
            time.sleep(0.05)


def run_job(
    job: RenderJob,
    options: RenderOptions,
    env: Mapping[str, str],
    on_status: StatusCallback,
    table: ProcessTable,
    reuse: bool,
) -> RenderResult:
    """Render ``job`` in a manim process of its own (or not at all, if ``reuse`` finds it up to date)."""
    result = RenderResult(job)
    if table.cancelled.is_set():
        return result
    stamp = fingerprint(job, options, env) if reuse else ""
    if reuse and (previous := up_to_date(job, options, stamp)) is not None:
        return previous
    watcher = ManimLogWatcher(result, on_status)
    start = time.monotonic()
    wall_start = time.time()
    on_status("starting manim", None)
    proc = table.start(manim_command(job, options, job_config(job, options)), env)
    if proc is None:  # Ctrl-C came first
        return result
    stream = proc.stdout
    assert isinstance(stream, io.BufferedReader)  # what Popen makes of a pipe with default buffering
    buffer = b""
    # tqdm redraws with \r, rich logs end with \n: both end a line here. read1: whatever is there.
    while chunk := stream.read1(65536):
        buffer += chunk
        *lines, buffer = re.split(rb"[\r\n]", buffer)
        for raw in lines:
            watcher.feed(raw.decode("utf-8", "replace"))
    watcher.feed(buffer.decode("utf-8", "replace"))
    stream.close()
    result.returncode, result.peak_rss, result.cpu_seconds = wait_with_usage(proc)
    if result.returncode != 0 and table.cancelled.is_set():
        # Removed before the table lets Ctrl-C's wait end, so nothing unfinished outlives the run.
        remove_unfinished(job, options, wall_start)
        result.returncode = None  # cancelled, not failed
    table.forget(proc)
    result.seconds = time.monotonic() - start
    result.tail = watcher.last_lines()
    result.log = write_log(options.media_dir, job, watcher.log_lines)
    if result.returncode == 0:
        if result.output is None or not result.output.exists():
            result.output = find_output(options, job, start)
        if options.sections and result.output is not None:
            result.sections = section_files(result.output.parent, job.output_name)
        if reuse and result.output is not None:
            save_stamp(result, options, stamp)
    else:
        result.output = None
    return result


def remove_unfinished(job: RenderJob, options: RenderOptions, since: float) -> list[Path]:
    """Delete what an interrupted job wrote since ``since`` (``time.time()``): the files it was making.

    Its movie or image, manim's temporary movie and section videos, and the movie segments in its
    ``partial_movie_files`` folder that do not read whole (:func:`readable_segment`). manim's
    cache would take those as finished; the whole ones stay, so the next render reuses them.
    After SIGINT manim discards the segment it was writing itself, but one killed when it did not
    stop in time could not, and encoder threads still finishing may be cut short. Returns the
    files removed.
    """
    name, stem = job.output_name, job.file.stem
    outputs = [
        f"videos/{stem}/*/{name}.{options.format}",
        f"videos/{stem}/*/{name}_temp.{options.format}",
        f"videos/{stem}/*/sections/{name}_[0-9][0-9][0-9][0-9]_*",
        f"videos/{stem}/*/sections/{name}.json",
        f"images/{stem}/{name}.png",
    ]
    segments = f"videos/{stem}/*/partial_movie_files/{job.scene}/*"
    removed = []
    for pattern in [*outputs, segments]:
        for path in options.media_dir.glob(pattern):
            try:
                if not path.is_file() or path.stat().st_mtime < since - 1:
                    continue  # an earlier render's file: not this job's to remove
                if pattern == segments and readable_segment(path):
                    continue
                path.unlink()
                removed.append(path)
            except OSError:
                continue  # gone already, or not ours to remove
    return removed


def readable_segment(path: Path) -> bool:
    """Whether the video file ``path`` opens and holds at least one whole video packet.

    A segment cut off while being written lacks its index (an MP4's moov box, written last) or
    ends inside a packet: PyAV cannot open or demux it to the end.
    """
    import av  # manim's own encoder library; imported here, as only interrupted renders need it

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return False
            packets = sum(1 for packet in container.demux(video=0) if packet.size)
    except (av.FFmpegError, OSError, ValueError):
        return False
    return packets > 0


def wait_with_peak_rss(proc: subprocess.Popen[bytes]) -> tuple[int, int | None]:
    """Wait for ``proc``; return its exit code and peak RSS in bytes (Linux/macOS: wait4).

    >>> wait_with_peak_rss(subprocess.Popen(["true"]))[0]
    0
    """
    return wait_with_usage(proc)[:2]


def wait_with_usage(proc: subprocess.Popen[bytes]) -> tuple[int, int | None, float | None]:
    """Wait for ``proc``; its exit code, peak RSS in bytes and CPU seconds (user + system,
    its waited-for children included), the last two None where ``os.wait4`` is missing.

    >>> code, rss, cpu = wait_with_usage(subprocess.Popen(["true"]))
    >>> code, cpu is not None and cpu >= 0
    (0, True)
    """
    if not hasattr(os, "wait4"):
        return proc.wait(), None, None
    while True:
        try:
            _, status, usage = os.wait4(proc.pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:  # already reaped elsewhere
            return proc.wait(), None, None
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return proc.returncode, usage.ru_maxrss * scale, usage.ru_utime + usage.ru_stime
