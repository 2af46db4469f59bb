"""Each render job's manim config, and nnviz's own part of the media folder.

Parallel manim processes must not share a ``tex_dir``: after each formula manim deletes
every non-SVG entry there, including another process's half-compiled ``.dvi``, which then
fails ("does not support converting .dvi files to SVG"). So every job gets TeX and text
caches of its own, under ``<media_dir>/nnviz/`` where manim never cleans (a formula compiled
by one job reaches the others through the formula store of
:mod:`nnviz.visual.formula_store`, which every lesson scene uses)::

    media/
      Tex/  texts/                   manim's own caches, left exactly as manim expects them
      nnviz/
        tex/<file>.<Scene>/          one job's TeX cache (its tex_dir)
        texts/<file>.<Scene>/        one job's text cache (its text_dir)
        <file>.<Scene>.cfg  .log     the job's manim config and full log
        stamps/                      what the last render of each job was made from

nnviz versions before this layout put the per-job folders inside ``media/Tex/``, where a
plain ``manim render`` later crashed on them (``IsADirectoryError``) when it cleaned up
after a formula; :func:`repair_media_dir` moves them out.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
from pathlib import Path

from .jobs import RenderJob, RenderOptions

#: nnviz's folder inside manim's media folder.
NNVIZ_FOLDER = "nnviz"
#: (manim's cache folder, nnviz's per-job folder beside it) under the media folder.
CACHE_FOLDERS = (("Tex", "tex"), ("texts", "texts"))
#: x264's preset for nnviz's MP4s unless manim.cfg sets one, instead of manim's "medium":
#: "veryfast" encodes the lesson's flat-coloured 1080p60 frames at the same CRF in less time and,
#: for this content, into smaller files (bench/README.md). A render interrupted by Ctrl-C can
#: leave a cut-off segment with either preset; nnviz removes it (process.remove_unfinished).
X264_PRESET = "veryfast"
#: The name of a per-job folder, ``<file stem>.<Scene>`` (:attr:`RenderJob.key`).
_JOB_FOLDER = re.compile(r"^.+\.[A-Za-z_]\w*$")


def nnviz_dir(media_dir: Path) -> Path:
    """nnviz's own folder inside ``media_dir``: configs, logs, stamps and per-job caches.

    >>> nnviz_dir(Path("media")).as_posix()
    'media/nnviz'
    """
    return media_dir / NNVIZ_FOLDER


def job_cache_dirs(job: RenderJob, media_dir: Path) -> tuple[Path, Path]:
    """The job's own ``tex_dir`` and ``text_dir``: outside manim's ``Tex/``, which manim cleans.

    >>> [p.as_posix() for p in job_cache_dirs(RenderJob("Bias", Path("scenes/bias.py")), Path("media"))]
    ['media/nnviz/tex/bias.Bias', 'media/nnviz/texts/bias.Bias']
    """
    tex, text = (nnviz_dir(media_dir) / ours / job.key for _, ours in CACHE_FOLDERS)
    return tex, text


def folder_media_dir(folder_cfg: Path = Path("manim.cfg")) -> Path:
    """The ``media_dir`` of the folder's ``manim.cfg`` [CLI] section, else ``media`` as manim.

    >>> folder_media_dir(Path("no/such/manim.cfg"))
    PosixPath('media')
    """
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(folder_cfg, encoding="utf-8")
        value = parser.get("CLI", "media_dir", fallback="").strip()
    except (configparser.Error, UnicodeDecodeError):
        value = ""  # manim itself will report a broken manim.cfg
    return Path(value) if value and "{" not in value else Path("media")


def job_config(job: RenderJob, options: RenderOptions, folder_cfg: Path = Path("manim.cfg")) -> Path:
    """Write the job's manim config: the folder's ``manim.cfg`` with TeX and text caches of its own.

    ``-c`` replaces the folder's ``manim.cfg``, so its sections are copied in first. Returns
    ``<media_dir>/nnviz/<file>.<Scene>.cfg``.
    """
    parser = configparser.ConfigParser(interpolation=None)  # keep values verbatim
    if folder_cfg.is_file():
        parser.read(folder_cfg, encoding="utf-8")
    if not parser.has_section("CLI"):
        parser.add_section("CLI")
    tex_dir, text_dir = job_cache_dirs(job, options.media_dir)
    parser["CLI"]["tex_dir"] = str(tex_dir.resolve())
    parser["CLI"]["text_dir"] = str(text_dir.resolve())
    encoder_defaults(parser, options.format)
    path = nnviz_dir(options.media_dir) / f"{job.key}.cfg"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        f.write(f"# written by nnviz render for {job.scene} from {folder_cfg.resolve()}\n")
        parser.write(f)
    return path


def encoder_defaults(parser: configparser.ConfigParser, video_format: str) -> None:
    """Add :data:`X264_PRESET` to a manim config, for MP4 with manim's codec and no preset set.

    >>> cfg = configparser.ConfigParser()
    >>> encoder_defaults(cfg, "mp4")
    >>> dict(cfg["video_encoder.options"])
    {'preset': 'veryfast'}
    """
    codec = parser.get("video_encoder", "codec", fallback="auto")
    if video_format != "mp4" or codec not in ("auto", "libx264"):
        return
    if not parser.has_section("video_encoder.options"):
        parser.add_section("video_encoder.options")
    parser["video_encoder.options"].setdefault("preset", X264_PRESET)


def repair_media_dir(media_dir: Path) -> list[Path]:
    """Move per-job cache folders of older nnviz versions out of manim's ``Tex/`` and ``texts/``.

    A folder named ``<file>.<Scene>`` there goes to its place under ``nnviz/`` (its SVGs
    stay useful), or is removed when that place is taken. Nothing else is touched; several
    nnviz runs may repair the same folder at once. Returns the new places.

    >>> import tempfile
    >>> media = Path(tempfile.mkdtemp())
    >>> (media / "Tex" / "bias.Bias").mkdir(parents=True)
    >>> [p.relative_to(media).as_posix() for p in repair_media_dir(media)]
    ['nnviz/tex/bias.Bias']
    >>> sorted(p.name for p in (media / "Tex").iterdir())
    []
    """
    moved = []
    for manims, ours in CACHE_FOLDERS:
        try:
            entries = sorted((media_dir / manims).iterdir())
        except OSError:  # no such folder: nothing to repair
            continue
        for old in entries:
            if not (_JOB_FOLDER.match(old.name) and old.is_dir() and not old.is_symlink()):
                continue
            new = nnviz_dir(media_dir) / ours / old.name
            new.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(old, new)  # an empty `new` is replaced; a full one raises
            except FileNotFoundError:
                continue  # another nnviz run moved it first
            except OSError:
                shutil.rmtree(old, ignore_errors=True)  # `new` is a cache of its own already
                continue
            moved.append(new)
    return moved
