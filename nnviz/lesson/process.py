"""One render job as one ``python -m manim render`` process: start, watch, reap, report.

A scene that crashes or leaks runs in a process of its own, so it cannot take the others
down; its exit code, peak memory and last log lines go into its :class:`RenderResult`.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from .fingerprint import fingerprint, save_stamp, up_to_date
from .jobs import RenderJob, RenderOptions, RenderResult, manim_command
from .media_folder import job_config
from .render_log import ManimLogWatcher, StatusCallback, find_output, section_files, write_log


@dataclass
class ProcessTable:
    """The running manim processes of one run, so that Ctrl-C can stop them all."""

    procs: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def terminate_all(self) -> None:
        """Stop every running process; jobs not started yet will not start."""
        self.cancelled.set()
        with self.lock:
            for proc in self.procs.values():
                proc.terminate()


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
    on_status("starting manim", None)
    proc = subprocess.Popen(
        manim_command(job, options, job_config(job, options)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=dict(env),
    )
    with table.lock:
        table.procs[proc.pid] = proc
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
    result.returncode, result.peak_rss = wait_with_peak_rss(proc)
    with table.lock:
        table.procs.pop(proc.pid, None)
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


def wait_with_peak_rss(proc: subprocess.Popen[bytes]) -> tuple[int, int | None]:
    """Wait for ``proc``; return its exit code and peak RSS in bytes (Linux/macOS: wait4).

    >>> wait_with_peak_rss(subprocess.Popen(["true"]))[0]
    0
    """
    if not hasattr(os, "wait4"):
        return proc.wait(), None
    while True:
        try:
            _, status, usage = os.wait4(proc.pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:  # already reaped elsewhere
            return proc.wait(), None
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return proc.returncode, usage.ru_maxrss * scale
