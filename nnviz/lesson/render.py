"""Render scenes with the manim CLI in parallel processes, behind one progress display.

Each scene is one ``python -m manim render`` process (the same Python as nnviz), so a scene
that crashes or leaks cannot take the others down. The output file is named after the
scene (``-o``) and found from manim's "File ready at" line. Three things a plain parallel
``manim render`` gets wrong or slow are handled here:

* each process has a TeX and text cache folder of its own (:func:`job_config`): with a
  shared one, parallel MathTex compiles delete each other's files;
* manim's animation cache is kept (no ``--disable_caching`` unless asked);
* with ``reuse``, a scene whose inputs are unchanged since its last render is not rendered
  again at all (:func:`fingerprint`).

Example::

    from pathlib import Path
    from nnviz.lesson.render import RenderJob, RenderOptions, run_renders

    jobs = [RenderJob("Sigmoid", Path("scenes/sigmoid.py"))]
    [result] = run_renders(jobs, RenderOptions(quality="l"), workers=1)
    print(result.output)     # media/videos/sigmoid/480p15/Sigmoid.mp4
"""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

QUALITIES = ("l", "m", "h", "p", "k")
FORMATS = ("mp4", "mov", "webm", "gif", "png")
#: Formats that keep an alpha channel; manim refuses ``--transparent`` with mp4.
ALPHA_FORMATS = ("mov", "webm", "gif", "png")
VIDEO_FORMATS = ("mp4", "mov", "webm", "gif")
TAIL_LINES = 12

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TQDM = re.compile(r"^Animation (\d+): (.*?):\s+(\d+)%\|")
_CACHED = re.compile(r"Animation (\d+) : Using cached data")
_READY = re.compile(r"File ready at\s*'([^']+)'")
_PLAYED = re.compile(r"Played (\d+) animations")


@dataclass(frozen=True)
class RenderJob:
    """One Scene class in one file; ``name`` is the output file's stem (default: the scene)."""

    scene: str
    file: Path
    name: str | None = None

    @property
    def output_name(self) -> str:
        return self.name or self.scene

    @property
    def key(self) -> str:
        """Unique per file and output: names this job's config, log and TeX/text caches."""
        return f"{self.file.stem}.{self.output_name}"


@dataclass(frozen=True)
class RenderOptions:
    """manim render options shared by every job of one run."""

    quality: str | None = None  # None: manim.cfg's quality, else manim's default (1080p60)
    format: str = "mp4"
    transparent: bool = False
    sections: bool = False
    media_dir: Path = Path("media")
    disable_caching: bool = False

    def manim_args(self) -> list[str]:
        # --silent: manim would otherwise ask PyPI for a newer version after every render.
        args = ["-q", self.quality] if self.quality else []
        args += ["--format", self.format, "--media_dir", str(self.media_dir), "--silent"]
        if self.transparent:
            args.append("--transparent")
        if self.sections:
            args.append("--save_sections")
        if self.disable_caching:
            args.append("--disable_caching")
        return args


@dataclass
class RenderResult:
    """What became of one job: exit code, files written, time, peak memory, last log lines."""

    job: RenderJob
    returncode: int | None = None
    output: Path | None = None
    sections: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss: int | None = None  # bytes, the manim process's maximum resident set size
    animations: int = 0
    cached: int = 0
    tail: list[str] = field(default_factory=list)
    log: Path | None = None
    up_to_date: bool = False  # not rendered: the last render's inputs are all unchanged

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.output is not None

    def to_json(self) -> dict[str, object]:
        return {
            "scene": self.job.scene,
            "file": str(self.job.file),
            "ok": self.ok,
            "returncode": self.returncode,
            "output": str(self.output) if self.output else None,
            "sections": [str(p) for p in self.sections],
            "seconds": round(self.seconds, 3),
            "peak_rss_bytes": self.peak_rss,
            "animations": self.animations,
            "cached_animations": self.cached,
            "log": str(self.log) if self.log else None,
            "up_to_date": self.up_to_date,
        }


def manim_command(
    job: RenderJob, options: RenderOptions, config: Path | None = None, python: str = sys.executable
) -> list[str]:
    """The ``python -m manim render`` command line of one job (``config``: its ``-c`` file).

    >>> manim_command(RenderJob("Sigmoid", Path("scenes/sigmoid.py")), RenderOptions(quality="l"), python="python")
    ['python', '-m', 'manim', 'render', '-q', 'l', '--format', 'mp4', '--media_dir', 'media', '--silent', '-o', 'Sigmoid', 'scenes/sigmoid.py', 'Sigmoid']
    """
    config_args = ["-c", str(config)] if config is not None else []
    return [
        python, "-m", "manim", "render", *config_args, *options.manim_args(),
        "-o", job.output_name, str(job.file), job.scene,
    ]  # fmt: skip


def folder_media_dir(folder_cfg: Path = Path("manim.cfg")) -> Path:
    """The ``media_dir`` of the folder's ``manim.cfg`` [CLI] section, else ``media`` as manim."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(folder_cfg, encoding="utf-8")
        value = parser.get("CLI", "media_dir", fallback="").strip()
    except (configparser.Error, UnicodeDecodeError):
        value = ""  # manim itself will report a broken manim.cfg
    return Path(value) if value and "{" not in value else Path("media")


def job_config(job: RenderJob, options: RenderOptions, folder_cfg: Path = Path("manim.cfg")) -> Path:
    """Write the job's manim config: the folder's ``manim.cfg`` with TeX and text caches of its own.

    Parallel manim processes must not share ``tex_dir``: after each formula manim deletes
    every non-SVG file there, including another process's half-compiled .dvi, which then
    fails ("does not support converting .dvi files to SVG"). ``-c`` replaces the folder's
    ``manim.cfg``, so its sections are copied in first.
    """
    parser = configparser.ConfigParser(interpolation=None)  # keep values verbatim
    if folder_cfg.is_file():
        parser.read(folder_cfg, encoding="utf-8")
    if not parser.has_section("CLI"):
        parser.add_section("CLI")
    name = job.key
    parser["CLI"]["tex_dir"] = str((options.media_dir / "Tex" / name).resolve())
    parser["CLI"]["text_dir"] = str((options.media_dir / "texts" / name).resolve())
    path = options.media_dir / "nnviz" / f"{name}.cfg"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write(f"# written by nnviz render for {job.scene} from {folder_cfg.resolve()}\n")
        parser.write(f)
    return path


# ---------------------------------------------------------------- up-to-date check

#: Environment variables that change what a scene draws.
FINGERPRINT_ENV = ("NNVIZ_DIGIT", "NNVIZ_WEIGHTS", "NNVIZ_PALETTE")


def _digest_files(digest: "hashlib._Hash", paths: Iterable[Path], root: Path | None = None) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(root) if root else path).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")


def fingerprint(job: RenderJob, options: RenderOptions, env: Mapping[str, str]) -> str:
    """A hash of everything a render's output depends on, as far as nnviz can see it.

    The scene's folder (its file and any sibling module it imports), nnviz's own sources
    and shipped assets, the digit and weights files the settings name, the folder's and
    the user's ``manim.cfg``, the manim command line and the manim and Python versions.
    Not covered: the system's LaTeX, fonts and ffmpeg (``--force`` re-renders).
    """
    from importlib.metadata import version

    import nnviz
    from nnviz.core.paths import ASSETS

    digest = hashlib.sha256(b"nnviz render fingerprint 1\0")
    digest.update(repr(manim_command(job, options, python="python")).encode())
    digest.update(f"manim {version('manim')} python {sys.version}".encode())
    for name in FINGERPRINT_ENV:
        value = env.get(name, "")
        digest.update(f"{name}={value}\0".encode())
        if value and Path(value).is_file():
            _digest_files(digest, [Path(value)])
    folder = job.file.resolve().parent
    _digest_files(digest, folder.glob("*.py"), folder)
    package = Path(nnviz.__file__).resolve().parent
    _digest_files(digest, package.rglob("*.py"), package)
    if ASSETS.is_dir():
        _digest_files(digest, (p for p in ASSETS.rglob("*") if p.is_file()), ASSETS)
    user_cfg = Path.home() / ".config" / "manim" / "manim.cfg"
    _digest_files(digest, [p for p in (Path("manim.cfg").resolve(), user_cfg) if p.is_file()])
    return digest.hexdigest()


def _stamp_path(job: RenderJob, options: RenderOptions) -> Path:
    # One stamp per output name and option set: -ql and -qh renders are separate files.
    key = hashlib.sha256(repr((str(job.file.resolve()), job.scene, options.manim_args())).encode())
    return options.media_dir / "nnviz" / "stamps" / f"{job.key}-{key.hexdigest()[:12]}.json"


def _up_to_date(job: RenderJob, options: RenderOptions, stamp: str) -> RenderResult | None:
    """The last render's result if its fingerprint is ``stamp`` and its files are still there."""
    try:
        saved = json.loads(_stamp_path(job, options).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("fingerprint") != stamp:
        return None
    output = Path(saved.get("output") or "")
    sections = [Path(p) for p in saved.get("sections", [])]
    if not output.is_file() or not all(p.is_file() for p in sections):
        return None
    stat = output.stat()
    if [stat.st_size, stat.st_mtime_ns] != saved.get("output_stat"):
        return None  # the file was replaced since (say, by a plain `manim render`)
    return RenderResult(
        job, returncode=0, output=output, sections=sections, animations=int(saved.get("animations", 0)),
        up_to_date=True,
    )


def _save_stamp(result: RenderResult, options: RenderOptions, stamp: str) -> None:
    path = _stamp_path(result.job, options)
    record = {
        "fingerprint": stamp,
        "output": str(result.output.resolve()) if result.output else None,
        "sections": [str(p.resolve()) for p in result.sections],
        "animations": result.animations,
    }
    if result.output is not None:
        stat = result.output.stat()
        record["output_stat"] = [stat.st_size, stat.st_mtime_ns]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    except OSError:
        pass  # a missing stamp only costs a re-render next time


# ---------------------------------------------------------------- one process


class _Watcher:
    """Reads one manim process's merged output, tracking progress and the output path."""

    def __init__(self, result: RenderResult, on_status: Callable[[str, float | None], None]) -> None:
        self.result = result
        self.on_status = on_status
        self.tail: deque[str] = deque(maxlen=200)
        self.ready_pending = False
        self.log_lines: list[str] = []

    def feed(self, line: str) -> None:
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


def _run_one(
    job: RenderJob,
    options: RenderOptions,
    env: Mapping[str, str],
    on_status: Callable[[str, float | None], None],
    procs: dict[int, subprocess.Popen],
    lock: threading.Lock,
    cancelled: threading.Event,
    reuse: bool,
) -> RenderResult:
    result = RenderResult(job)
    if cancelled.is_set():
        return result
    stamp = fingerprint(job, options, env) if reuse else ""
    if reuse and (previous := _up_to_date(job, options, stamp)) is not None:
        return previous
    watcher = _Watcher(result, on_status)
    start = time.monotonic()
    on_status("starting manim", None)
    proc = subprocess.Popen(
        manim_command(job, options, job_config(job, options)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=dict(env),
    )
    with lock:
        procs[proc.pid] = proc
    assert proc.stdout is not None
    buffer = b""
    # tqdm redraws with \r, rich logs end with \n: both end a line here.
    while chunk := proc.stdout.read1(65536):
        buffer += chunk
        *lines, buffer = re.split(rb"[\r\n]", buffer)
        for raw in lines:
            watcher.feed(raw.decode("utf-8", "replace"))
    watcher.feed(buffer.decode("utf-8", "replace"))
    proc.stdout.close()
    result.returncode, result.peak_rss = _wait(proc)
    with lock:
        procs.pop(proc.pid, None)
    result.seconds = time.monotonic() - start
    result.tail = [line for line in watcher.tail][-TAIL_LINES:]
    result.log = _write_log(options.media_dir, job, watcher.log_lines)
    if result.returncode == 0:
        if result.output is None or not result.output.exists():
            result.output = _find_output(options, job, start)
        if options.sections and result.output is not None:
            result.sections = _sections(result.output.parent, job.output_name)
        if reuse and result.output is not None:
            _save_stamp(result, options, stamp)
    else:
        result.output = None
    return result


def _wait(proc: subprocess.Popen) -> tuple[int, int | None]:
    """Wait for ``proc``; return its exit code and peak RSS in bytes (Linux/macOS: wait4)."""
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


def _write_log(media_dir: Path, job: RenderJob, lines: list[str]) -> Path | None:
    path = media_dir / "nnviz" / f"{job.key}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path


def _find_output(options: RenderOptions, job: RenderJob, since: float) -> Path | None:
    """Fallback when manim's log did not name the file: the newest matching file in media_dir."""
    wall_since = time.time() - (time.monotonic() - since) - 1
    top = options.media_dir / ("images" if options.format == "png" else "videos")
    candidates = [
        p for p in top.rglob(f"{job.output_name}.{options.format}")
        if "partial_movie_files" not in p.parts and p.stat().st_mtime >= wall_since
    ]
    return max(candidates, key=lambda p: p.stat().st_mtime, default=None)


def _sections(folder: Path, name: str) -> list[Path]:
    """The section videos manim listed in ``sections/<name>.json``, in order."""
    index = folder / "sections" / f"{name}.json"
    try:
        entries = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [folder / "sections" / e["video"] for e in entries if isinstance(e, dict) and "video" in e]


# ---------------------------------------------------------------- many processes


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
    the others. Ctrl-C stops every manim process and re-raises ``KeyboardInterrupt``.
    """
    from rich.console import Console

    console = Console(stderr=True)
    child_env = {**os.environ, **(env or {})}
    # Wide lines so rich does not wrap manim's "File ready at '<path>'" log line.
    child_env.update({"COLUMNS": "1000", "PYTHONUNBUFFERED": "1"})
    options.media_dir.mkdir(parents=True, exist_ok=True)
    procs: dict[int, subprocess.Popen] = {}
    lock = threading.Lock()
    cancelled = threading.Event()
    display = _Display(console, jobs, enabled=progress)

    def work(i: int) -> RenderResult:
        job = jobs[i]
        result = _run_one(
            job, options, child_env, lambda s, f: display.status(i, s, f), procs, lock, cancelled, reuse
        )
        display.finished(i, result)
        return result

    with display, ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(work, i) for i in range(len(jobs))]
        try:
            return [f.result() for f in futures]
        except KeyboardInterrupt:
            cancelled.set()
            with lock:
                for proc in procs.values():
                    proc.terminate()
            raise


class _Display:
    """Per-scene status lines and an overall bar (rich) on a terminal; plain lines elsewhere."""

    def __init__(self, console, jobs: Sequence[RenderJob], enabled: bool) -> None:  # noqa: ANN001
        self.console = console
        self.jobs = jobs
        self.enabled = enabled
        self.live = enabled and console.is_terminal
        self.progress = None
        self.done = 0

    def __enter__(self) -> "_Display":
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
        self.tasks = [
            self.progress.add_task(j.scene, total=1, status="queued", start=False) for j in self.jobs
        ]
        self.overall = self.progress.add_task(
            "all scenes", total=len(self.jobs), status=f"0/{len(self.jobs)} done"
        )
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def status(self, i: int, text: str, fraction: float | None) -> None:
        if self.progress is None:
            return
        task = self.tasks[i]
        self.progress.start_task(task)
        # Capped below 1: a task at 100% counts as finished and its clock would stop.
        kwargs = {"completed": min(fraction, 0.99)} if fraction is not None else {}
        self.progress.update(task, status=text, **kwargs)

    def finished(self, i: int, result: RenderResult) -> None:
        self.done += 1
        scene = self.jobs[i].scene
        if result.returncode is None:
            text = "cancelled"
        elif result.returncode < 0:
            text = f"stopped (signal {-result.returncode})"
        elif result.up_to_date:
            text = "up to date (inputs unchanged; --force re-renders)"
        elif result.ok:
            cached = f", {result.cached} cached" if result.cached else ""
            plural = "" if result.animations == 1 else "s"
            text = f"done in {result.seconds:.1f} s ({result.animations} animation{plural}{cached})"
        else:
            text = f"FAILED (exit {result.returncode})"
        if self.progress is not None:
            self.progress.update(self.tasks[i], completed=1, status=text)
            self.progress.stop_task(self.tasks[i])
            self.progress.update(self.overall, advance=1, status=f"{self.done}/{len(self.jobs)} done")
        elif self.enabled:
            self.console.print(f"[{self.done}/{len(self.jobs)}] {scene}: {text}", highlight=False)


def relative(path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default: the current directory) when inside it."""
    base = base or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
