"""Skip a render whose inputs are unchanged: a fingerprint of the inputs, and a stamp per output.

manim's own cache replays every animation from disk, which still costs about half of a
first render for a large diagram (hashing and copying every mobject). A stamp written
after a successful render lets ``nnviz render`` skip manim entirely while the scene, nnviz,
the settings and the output file are all as they were.

Example::

    stamp = fingerprint(job, options, os.environ)
    previous = up_to_date(job, options, stamp)   # a RenderResult, or None: render it
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .jobs import RenderJob, RenderOptions, RenderResult, manim_command
from .media_folder import nnviz_dir

if TYPE_CHECKING:
    from hashlib import _Hash

#: Environment variables that change what a scene draws.
FINGERPRINT_ENV = ("NNVIZ_DIGIT", "NNVIZ_WEIGHTS", "NNVIZ_PALETTE", "NNVIZ_SNAPSHOTS")


def _digest_files(digest: _Hash, paths: Iterable[Path], root: Path | None = None) -> None:
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

    from ..core.paths import ASSETS

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
    package = Path(__file__).resolve().parents[1]  # the nnviz package: its sources draw the scenes
    _digest_files(digest, package.rglob("*.py"), package)
    if ASSETS.is_dir():
        _digest_files(digest, (p for p in ASSETS.rglob("*") if p.is_file()), ASSETS)
    user_cfg = Path.home() / ".config" / "manim" / "manim.cfg"
    _digest_files(digest, [p for p in (Path("manim.cfg").resolve(), user_cfg) if p.is_file()])
    return digest.hexdigest()


def stamp_path(job: RenderJob, options: RenderOptions) -> Path:
    """Where the job's stamp lives: one per output name and option set (-ql and -qh differ)."""
    key = hashlib.sha256(repr((str(job.file.resolve()), job.scene, options.manim_args())).encode())
    return nnviz_dir(options.media_dir) / "stamps" / f"{job.key}-{key.hexdigest()[:12]}.json"


def up_to_date(job: RenderJob, options: RenderOptions, stamp: str) -> RenderResult | None:
    """The last render's result if its fingerprint is ``stamp`` and its files are still there."""
    try:
        saved = json.loads(stamp_path(job, options).read_text(encoding="utf-8"))
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
        job,
        returncode=0,
        output=output,
        sections=sections,
        animations=int(saved.get("animations", 0)),
        up_to_date=True,
    )


def save_stamp(result: RenderResult, options: RenderOptions, stamp: str) -> None:
    """Record a successful render made from inputs with fingerprint ``stamp``."""
    path = stamp_path(result.job, options)
    record: dict[str, object] = {
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
