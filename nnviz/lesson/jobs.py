"""What to render and what became of it: jobs, shared options, results and the manim command line.

Plain data, no process started and nothing written: :mod:`nnviz.lesson.render` runs the jobs.

>>> job = RenderJob("Sigmoid", Path("scenes/sigmoid.py"))
>>> job.key
'sigmoid.Sigmoid'
>>> RenderOptions(quality="l").manim_args()
['-q', 'l', '--format', 'mp4', '--media_dir', 'media', '--silent']
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

QUALITIES = ("l", "m", "h", "p", "k")
FORMATS = ("mp4", "mov", "webm", "gif", "png")
#: Formats that keep an alpha channel; manim refuses ``--transparent`` with mp4.
ALPHA_FORMATS = ("mov", "webm", "gif", "png")
VIDEO_FORMATS = ("mp4", "mov", "webm", "gif")


@dataclass(frozen=True)
class RenderJob:
    """One Scene class in one file; ``name`` is the output file's stem (default: the scene).

    >>> RenderJob("Bias", Path("scenes/bias.py"), name="BiasDark").output_name
    'BiasDark'
    """

    scene: str
    file: Path
    name: str | None = None

    @property
    def output_name(self) -> str:
        """The stem of the file manim writes (``-o``)."""
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
        """The options as ``manim render`` arguments.

        >>> RenderOptions(format="mov", transparent=True).manim_args()[-1]
        '--transparent'
        """
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
    """What became of one job: exit code, files written, time, peak memory, last log lines.

    >>> RenderResult(RenderJob("Bias", Path("bias.py"))).ok
    False
    """

    job: RenderJob
    returncode: int | None = None
    output: Path | None = None
    sections: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss: int | None = None  # bytes, the manim process's maximum resident set size
    cpu_seconds: float | None = None  # the manim process's user + system time
    animations: int = 0
    cached: int = 0
    tail: list[str] = field(default_factory=list)
    log: Path | None = None
    up_to_date: bool = False  # not rendered: the last render's inputs are all unchanged

    @property
    def ok(self) -> bool:
        """manim exited 0 and its output file was found."""
        return self.returncode == 0 and self.output is not None

    def to_json(self) -> dict[str, object]:
        """The result as ``nnviz render --json`` prints it."""
        return {
            "scene": self.job.scene,
            "file": str(self.job.file),
            "ok": self.ok,
            "returncode": self.returncode,
            "output": str(self.output) if self.output else None,
            "sections": [str(p) for p in self.sections],
            "seconds": round(self.seconds, 3),
            "peak_rss_bytes": self.peak_rss,
            "cpu_seconds": None if self.cpu_seconds is None else round(self.cpu_seconds, 3),
            "animations": self.animations,
            "cached_animations": self.cached,
            "log": str(self.log) if self.log else None,
            "up_to_date": self.up_to_date,
        }


def manim_command(
    job: RenderJob, options: RenderOptions, config: Path | None = None, python: str = sys.executable
) -> list[str]:
    """The ``python -m manim render`` command line of one job (``config``: its ``-c`` file).

    >>> job = RenderJob("Sigmoid", Path("scenes/sigmoid.py"))
    >>> " ".join(manim_command(job, RenderOptions(quality="l"), python="python"))
    'python -m manim render -q l --format mp4 --media_dir media --silent -o Sigmoid scenes/sigmoid.py Sigmoid'
    """
    config_args = ["-c", str(config)] if config is not None else []
    return [
        python, "-m", "manim", "render", *config_args, *options.manim_args(),
        "-o", job.output_name, str(job.file), job.scene,
    ]  # fmt: skip


def relative(path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default: the current directory) when inside it.

    >>> relative(Path("/srv/media/a.mp4"), Path("/srv")), relative(Path("/elsewhere/a.mp4"), Path("/srv"))
    ('media/a.mp4', '/elsewhere/a.mp4')
    """
    base = base or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
