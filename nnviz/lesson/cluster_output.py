"""Write what the workers sent back where a local render would have put it, chunks joined.

A scene rendered in chunks comes back as one video per chunk, the section videos of the beats
each chunk holds (named by manim with their index in the whole scene) and each chunk's entries
of the sections index. :func:`write_scene` joins the chunk videos in order by copying their
H.264 packets (:func:`~nnviz.lesson.join.join_videos` without chapters: no re-encoding, so the
frames are the chunks' own) and writes every file under the media folder through
:func:`~nnviz.core.atomic.atomic_write`: a reader never sees half a file, and a scene that
fails writes nothing at all, since nothing is written before all its chunks are back.

Example::

    output, sections = write_scene(job, options, [first_chunk, second_chunk])
    output      # media/videos/sigmoid/480p15/Sigmoid.mp4, as `nnviz render Sigmoid -q l`
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..core.atomic import atomic_write
from ..core.errors import NnvizError
from .cluster_task import TaskOutput
from .jobs import RenderJob, RenderOptions


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path) as f:
        f.write(data)
    return path


def _main_file(job: RenderJob, options: RenderOptions, names: Sequence[str]) -> str:
    """Of a chunk's files, the scene's video or image (not a section video)."""
    wanted = f"{job.output_name}.{options.format}"
    found = [n for n in names if n.rsplit("/", 1)[-1] == wanted and "/sections/" not in n]
    if len(found) != 1:
        raise NnvizError(f"{job.scene}: a worker sent back {len(found)} files named {wanted}")
    return found[0]


def write_scene(job: RenderJob, options: RenderOptions, chunks: Sequence[TaskOutput]) -> tuple[Path, list[Path]]:
    """Write one scene from its chunks (in order) under ``options.media_dir``; its video and sections."""
    if not chunks:
        raise NnvizError(f"{job.scene}: no chunk came back")
    media = options.media_dir
    mains = [_main_file(job, options, [n for n, _ in c.files]) for c in chunks]
    if len(set(mains)) != 1:
        raise NnvizError(f"{job.scene}: the chunks went to different folders: {', '.join(sorted(set(mains)))}")
    sections: list[Path] = []
    entries: list[dict[str, object]] = []
    for chunk in chunks:  # the section videos first, the index and the scene's video last
        for name, data in chunk.files:
            if name != mains[0]:
                path = _write(media / name, data)
                if "/sections/" in name:
                    sections.append(path)
        entries += chunk.sections
    target = media / mains[0]
    if options.sections:
        index = target.parent / "sections" / f"{job.output_name}.json"
        _write(index, json.dumps(entries, indent=4).encode("utf-8"))
        sections = [index.parent / str(e["video"]) for e in entries if "video" in e]
    videos = [dict(c.files)[mains[0]] for c in chunks]
    if len(videos) == 1:
        return _write(target, videos[0]), sections
    from .join import join_videos

    with tempfile.TemporaryDirectory(prefix="nnviz-join-") as folder:
        parts = [_write(Path(folder) / f"{i:04d}.{options.format}", v) for i, v in enumerate(videos)]
        joined = Path(folder) / f"joined.{options.format}"
        join_videos(parts, joined, None, fmt=options.format)
        return _write(target, joined.read_bytes()), sections


def write_slides(folder: Path, output: TaskOutput) -> Path:
    """Write one scene's manim-slides files under ``folder``; returns its slides JSON."""
    written = [_write(folder / name, data) for name, data in output.files]
    configs = [p for p in written if p.suffix == ".json" and p.parent == folder]
    if len(configs) != 1:
        raise NnvizError(f"{folder}: a worker sent back {len(configs)} slide configurations for one scene")
    return configs[0]


__all__ = ["write_scene", "write_slides"]
