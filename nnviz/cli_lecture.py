"""The lecture commands of ``nnviz``: ``scenes``, ``render``, ``slides``, ``handout`` and ``lecture``.

``nnviz render`` runs the manim CLI, one process per scene and several at once, behind one
progress display, and prints where each file went::

    nnviz render FeedForward Sigmoid -q m                 # two scenes, 720p30 mp4
    nnviz render --all -q l --jobs 2 --palette colorblind # the whole lesson
    nnviz render FeedForward --digit my_three.png --transparent   # .mov with alpha
    nnviz render --file my_scenes.py MyScene -s           # a scene of your own, last frame

``nnviz slides`` renders the same scenes as manim-slides slides, one slide per beat with the
beat's speaker notes, and converts them into one reveal.js HTML deck::

    nnviz slides ThisIsAThree FeedForward --out lesson.html
    nnviz slides ThisIsAThree FeedForward --to pptx --out lesson.pptx   # PowerPoint / Impress

``nnviz handout`` writes a printable PDF, a page per beat with its last frame and notes::

    nnviz handout --all --paper letter --out lesson.pdf

``nnviz lecture`` joins the scenes into one MP4, a chapter per scene, with captions from the
beat notes (``chapter1.vtt``, ``chapter1.srt``); ``render --captions`` writes one scene's::

    nnviz lecture --out chapter1.mp4 -q l --jobs 2

The digit, weights and palette (``--digit/--weights/--palette``) reach the scenes as the
``NNVIZ_*`` environment variables; see :mod:`nnviz.lesson.settings` for the other ways to
set them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .cli_options import EXIT_FAILED, EXIT_USAGE, Parser, add_palette_argument, non_negative_float, positive_int
from .core.errors import NnvizError
from .lesson.catalog import SCENES, default_scenes_dir, find_scene, scene_classes_in
from .lesson.cluster import cluster_address
from .lesson.jobs import (
    ALPHA_FORMATS,
    FORMATS,
    QUALITIES,
    VIDEO_FORMATS,
    RenderJob,
    RenderOptions,
    RenderResult,
    relative,
)
from .lesson.media_folder import folder_media_dir
from .lesson.render import run_renders
from .lesson.settings import lesson_settings

# ---------------------------------------------------------------- choosing scenes


def resolve_jobs(
    names: list[str], all_scenes: bool, file: str | None, scenes_dir: Path | None = None
) -> list[RenderJob]:
    """The render jobs for scene names (or ``--all``), from the lesson or from ``file``.

    Names are the lesson's class names or file stems (case-insensitive); with ``file``
    they are classes defined in that file. Unknown names and missing files raise
    ``NnvizError`` listing the valid names.
    """
    if all_scenes and names:
        raise NnvizError("give scene names or --all, not both")
    if not all_scenes and not names:
        valid = _valid_names(file)
        raise NnvizError(f"name the scenes to render, or pass --all; the scenes are: {', '.join(valid)}")
    if file is not None:
        path = Path(file)
        classes = scene_classes_in(path)
        if all_scenes:
            if not classes:
                raise NnvizError(f"{path}: defines no classes to render")
            return [RenderJob(c, path) for c in classes]
        jobs = []
        for name in names:
            if name not in classes:
                raise NnvizError(f"unknown scene {name!r} in {path}; it defines: {', '.join(classes) or 'no classes'}")
            jobs.append(RenderJob(name, path))
        return _unique(jobs)
    folder = scenes_dir or default_scenes_dir()
    entries = list(SCENES) if all_scenes else [find_scene(n) for n in names]
    missing = [e for e in entries if not e.path(folder).is_file()]
    if missing:
        listed = ", ".join(f"{e.name} ({relative(e.path(folder))})" for e in missing)
        raise NnvizError(f"scene file not written yet: {listed}")
    return _unique([RenderJob(e.name, e.path(folder)) for e in entries])


def _valid_names(file: str | None) -> list[str]:
    if file is not None:
        return scene_classes_in(Path(file))
    return [s.name for s in SCENES]


def _unique(jobs: list[RenderJob]) -> list[RenderJob]:
    seen: set[tuple[str, Path]] = set()
    out = []
    for job in jobs:
        if (job.scene, job.file) not in seen:
            seen.add((job.scene, job.file))
            out.append(job)
    return out


def _settings_env(args: argparse.Namespace) -> dict[str, str]:
    """Resolve and load the digit/weights/palette here, so a bad value stops before rendering."""
    settings = lesson_settings(
        {"digit": args.digit, "weights": args.weights, "palette": args.palette, "snapshots": args.snapshots}
    )
    return settings.check().env()


def _media_dir(args: argparse.Namespace) -> Path:
    path = Path(args.media_dir) if args.media_dir else folder_media_dir()
    if path.exists() and not path.is_dir():
        source = "--media-dir" if args.media_dir else "manim.cfg's media_dir"
        raise NnvizError(f"{source} {path}: is a file; give a folder for manim's output")
    return path


def _workers(args: argparse.Namespace, count: int) -> int:
    return max(1, min(args.jobs or os.cpu_count() or 1, count))


def _render(
    args: argparse.Namespace,
    jobs: list[RenderJob],
    options: RenderOptions,
    env: dict[str, str],
    *,
    captions: bool = False,
    progress: bool = True,
    reuse: bool = True,
) -> list[RenderResult]:
    """Render here (``run_renders``) or with ``--cluster`` on Dask workers (:mod:`nnviz.lesson.cluster`)."""
    if captions:  # rendered with sections and beat notes: see nnviz.lesson.lecture
        from .lesson.lecture import captioned

        captioned_jobs, options = captioned(jobs, options)
        jobs = jobs if args.cluster else captioned_jobs  # workers add the notes themselves
    if not args.cluster:
        return run_renders(jobs, options, workers=_workers(args, len(jobs)), env=env, progress=progress, reuse=reuse)
    from .lesson.cluster import run_cluster_renders

    return run_cluster_renders(
        jobs, options, cluster=args.cluster, chunk_seconds=args.chunk_seconds, env=env,
        progress=progress, reuse=reuse, notes=captions,
    )  # fmt: skip


def _report_failures(command: str, results: list[RenderResult]) -> int:
    failed = [r for r in results if not r.ok]
    for r in failed:
        why = "was cancelled" if r.returncode is None else f"failed (exit {r.returncode})"
        if r.returncode == 0:
            why = "finished but no output file was found"
        print(f"nnviz {command}: {r.job.scene} {why}; last lines:", file=sys.stderr)
        for line in r.tail:
            print(f"    {line}", file=sys.stderr)
        if r.log:
            print(f"    (full log: {relative(r.log)})", file=sys.stderr)
    if failed:
        names = ", ".join(r.job.scene for r in failed)
        print(f"nnviz {command}: {len(failed)} of {len(results)} scenes failed: {names}", file=sys.stderr)
        return EXIT_FAILED
    return 0


# ---------------------------------------------------------------- nnviz scenes


def cmd_scenes(args: argparse.Namespace) -> int:
    folder = default_scenes_dir()
    if args.json:
        rows = [
            {"name": s.name, "file": str(s.path(folder)), "title": s.title, "written": s.path(folder).is_file()}
            for s in SCENES
        ]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(s.name) for s in SCENES)
    for i, s in enumerate(SCENES, 1):
        mark = "" if s.path(folder).is_file() else "  (not written yet)"
        print(f"{i:>2}. {s.name:<{width}}  {s.title}{mark}")
    return 0


# ---------------------------------------------------------------- nnviz render


def render_options(args: argparse.Namespace) -> tuple[RenderOptions, str | None]:
    """RenderOptions from the parsed arguments, and a note when the format had to change."""
    fmt = "png" if args.still else args.format
    note = None
    if fmt is None:
        fmt = "mov" if args.transparent else "mp4"
    elif args.transparent and fmt not in ALPHA_FORMATS:
        # manim refuses: mp4 (H.264 yuv420p) has no alpha channel. mov (qtrle argb) keeps it.
        note = f"--format {fmt} has no alpha channel; writing .mov files (QuickTime RLE with alpha) instead"
        fmt = "mov"
    if args.sections and fmt not in VIDEO_FORMATS:
        raise NnvizError(f"--sections needs a video format, not --format {fmt}")
    options = RenderOptions(
        quality=args.quality,
        format=fmt,
        transparent=args.transparent,
        sections=args.sections,
        media_dir=_media_dir(args),
        disable_caching=args.disable_caching,
    )
    return options, note


def cmd_render(args: argparse.Namespace) -> int:
    jobs = resolve_jobs(args.scenes, args.all, args.file)
    options, note = render_options(args)
    if args.captions:
        from .lesson.lecture import write_scene_captions
    env = _settings_env(args)
    if note:
        print(f"nnviz render: {note}", file=sys.stderr)
    reuse = not (args.force or args.disable_caching)
    results = _render(args, jobs, options, env, captions=args.captions, progress=not args.json, reuse=reuse)
    vtts = [write_scene_captions(r) for r in results] if args.captions else [None] * len(results)
    if args.json:
        rows = [{**r.to_json(), **({"captions": str(v)} if v else {})} for r, v in zip(results, vtts)]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        width = max(len(r.job.scene) for r in results)
        for r, vtt in zip(results, vtts):
            if r.ok and r.output is not None:
                print(f"{r.job.scene:<{width}}  {relative(r.output)}")
                for section in r.sections:
                    print(f"{'':<{width}}    {relative(section)}")
                if vtt:
                    print(f"{'':<{width}}    {relative(vtt)}")
    status = _report_failures("render", results)
    return EXIT_USAGE if status and args.cluster else status  # on a cluster: failed after the retries


def cmd_lecture(args: argparse.Namespace) -> int:
    """Render the scenes with their beat notes and join them (:mod:`nnviz.lesson.lecture`)."""
    from .lesson.lecture import chapter_titles, check_out, make_lecture

    out = check_out(args.out)
    jobs = resolve_jobs(args.scenes, args.all or not args.scenes, args.file)
    env = _settings_env(args)
    options = RenderOptions(quality=args.quality, media_dir=_media_dir(args))
    results = _render(args, jobs, options, env, captions=True, reuse=not args.force)
    if _report_failures("lecture", results):
        print(f"nnviz lecture: nothing written to {relative(out)}", file=sys.stderr)
        return EXIT_USAGE
    print(make_lecture(results, out, chapter_titles(jobs, from_catalog=args.file is None)))
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    """Render the scenes with their beat notes; a PDF page per beat (:mod:`nnviz.lesson.handout`)."""
    from .lesson.handout import beat_pages, check_handout_path, check_installed, write_handout
    from .lesson.lecture import chapter_titles

    check_installed()
    out = Path(args.out)
    check_handout_path(out)
    jobs = resolve_jobs(args.scenes, args.all, args.file)
    env = _settings_env(args)
    options = RenderOptions(quality=args.quality, media_dir=_media_dir(args))
    results = _render(args, jobs, options, env, captions=True, reuse=not args.force)
    if _report_failures("handout", results):
        print(f"nnviz handout: nothing written to {relative(out)}", file=sys.stderr)
        return EXIT_USAGE
    titles = chapter_titles(jobs, from_catalog=args.file is None)
    pages = [page for result, title in zip(results, titles) for page in beat_pages(result, title)]
    count = write_handout(pages, out, args.paper)
    print(f"{relative(out)}: {count} pages ({args.paper}) from {len(jobs)} scene{'' if len(jobs) == 1 else 's'}")
    return 0


# ---------------------------------------------------------------- nnviz slides


def cmd_slides(args: argparse.Namespace) -> int:
    """Render the scenes as manim-slides slides and build the offline deck (:mod:`nnviz.lesson.deck`)."""
    from .lesson.deck import build_deck, check_deck_path, slide_wrapper
    from .lesson.pptx_deck import build_pptx, check_out_path
    from .lesson.slides_compat import check_installed

    check_installed()
    out = Path(args.out)
    if args.to == "html":
        check_deck_path(out)
    else:
        check_out_path(out, args.to)
        if args.one_file:
            raise NnvizError(f"--one-file is for --to html; a --to {args.to} deck is one file already")
    jobs = resolve_jobs(args.scenes, args.all, args.file)
    env = _settings_env(args)
    media = _media_dir(args)
    build = media / "slides"
    wrappers = build / "scenes"
    wrappers.mkdir(parents=True, exist_ok=True)
    slide_jobs = []
    for job in jobs:
        wrapper = wrappers / f"{job.scene}.py"
        wrapper.write_text(slide_wrapper(job, build), encoding="utf-8")
        slide_jobs.append(RenderJob(job.scene, wrapper))
    options = RenderOptions(quality=args.quality, format="mp4", media_dir=media)
    if args.cluster:  # the workers write the slide wrappers themselves
        from .lesson.cluster import run_cluster_renders

        results = run_cluster_renders(jobs, options, cluster=args.cluster, env=env, slides_folder=build)
    else:
        results = run_renders(slide_jobs, options, workers=_workers(args, len(jobs)), env=env)
    status = _report_failures("slides", results)
    if status:
        return status
    if args.to == "pptx":
        print(build_pptx(build, [j.scene for j in jobs], out).summary(len(jobs)))
        return 0
    deck = build_deck(build, [j.scene for j in jobs], out, args.one_file)
    print(deck.summary(len(jobs)))
    return 0


# ---------------------------------------------------------------- parser


def _add_scene_arguments(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "scenes", nargs="*", metavar="SCENE",
        help=f"scenes to {what}: class names or file stems (see `nnviz scenes`)",
    )  # fmt: skip
    p.add_argument("--all", action="store_true", help=f"{what} every scene of the lesson, in order")
    p.add_argument(
        "--file", metavar="FILE",
        help="take the scenes from this Python file instead of the lesson's scenes/ folder",
    )  # fmt: skip
    p.add_argument(
        "-q", "--quality", choices=QUALITIES,
        help="l 480p15, m 720p30, h 1080p60, p 1440p60, k 2160p60 "
        "(default: manim.cfg's quality, else h)",
    )  # fmt: skip
    p.add_argument("--jobs", type=positive_int, metavar="N", help="parallel manim processes (default: CPUs)")
    p.add_argument(
        "--cluster", metavar="ADDRESS", type=cluster_address,
        help="render on Dask workers: a scheduler's tcp://HOST:8786, or local:N for N worker processes here "
        "(needs the cluster extra)",
    )  # fmt: skip
    p.add_argument(
        "--chunk-seconds", type=non_negative_float, metavar="S",
        help="with --cluster: cut scenes longer than S seconds of video at their beats, into runs of "
        "about S seconds rendered apart (0: a chunk per beat; default: the total length / the workers, "
        "from plans earlier cluster renders recorded)",
    )  # fmt: skip
    p.add_argument("--digit", metavar="D", help="test-split index or image file to show (sets NNVIZ_DIGIT)")
    p.add_argument("--weights", metavar="F", help="weights .npz to draw (sets NNVIZ_WEIGHTS)")
    p.add_argument(
        "--snapshots", metavar="F",
        help="training snapshots .npz of `nnviz train --snapshots` (sets NNVIZ_SNAPSHOTS)",
    )  # fmt: skip
    add_palette_argument(p, None, "colours of the weight signs (sets NNVIZ_PALETTE)")
    p.add_argument(
        "--media-dir", metavar="DIR",
        help="manim's media folder (default: manim.cfg's media_dir, else media)",
    )  # fmt: skip


def add_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    """Add ``scenes``, ``render``, ``slides``, ``handout`` and ``lecture`` to the ``nnviz`` command's sub-parsers."""
    p = sub.add_parser("scenes", help="list the lesson's scenes in teaching order")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_scenes)

    p = sub.add_parser(
        "render",
        help="render lesson scenes with manim, in parallel, with one progress display",
        description="Render scenes with `python -m manim render`, one process per scene, and print "
        "where each file went. Exit code 1 when a scene failed (the others still finish).",
    )
    _add_scene_arguments(p, "render")
    p.add_argument("--format", choices=FORMATS, help="output format (default mp4, or mov with --transparent)")
    p.add_argument("-s", "--still", action="store_true", help="only the last frame, as PNG (= --format png)")
    p.add_argument("-t", "--transparent", action="store_true", help="alpha channel (.mov, .webm, .gif, .png)")
    p.add_argument("--sections", action="store_true", help="also one video per beat (manim --save_sections)")
    p.add_argument("--captions", action="store_true", help="also <video>.vtt: one caption per beat, from its notes")
    p.add_argument(
        "--force", action="store_true",
        help="run manim even for scenes whose inputs did not change since their last render",
    )  # fmt: skip
    p.add_argument(
        "--disable-caching", action="store_true",
        help="re-render every animation (manim --disable_caching; implies --force)",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print a JSON report instead of the file list")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser(
        "slides",
        help="the scenes as a reveal.js HTML deck, one slide per beat (needs the slides extra)",
        description="Render scenes as manim-slides slides (one per beat, with the beat's speaker "
        "notes) and convert them into one HTML deck that works offline: reveal.js is copied beside "
        "it from nnviz's vendored copy. Needs pip install -e '.[slides]'.",
    )
    _add_scene_arguments(p, "put in the deck")
    p.add_argument("--out", required=True, metavar="FILE", help="the deck to write (FILE.html or FILE.pptx)")
    p.add_argument(
        "--to", choices=("html", "pptx"), default="html",
        help="html: reveal.js deck (default); pptx: PowerPoint, a video and speaker notes per beat",
    )  # fmt: skip
    p.add_argument("--one-file", action="store_true", help="embed the videos and reveal.js in the HTML (large)")
    p.set_defaults(func=cmd_slides)

    p = sub.add_parser(
        "handout",
        help="a printable PDF: a page per beat with its last frame and notes (needs the handout extra)",
        description="Render the scenes with sections and beat notes (or reuse their last render) and write "
        "a PDF with one page per beat: the scene's title, the beat's last frame and the beat's notes. "
        "Needs pip install -e '.[handout]'. Exit code 2 when a scene failed: then nothing is written.",
    )
    _add_scene_arguments(p, "put in the handout")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write (its folder must exist)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    p.add_argument("--force", action="store_true", help="run manim even for scenes whose inputs did not change")
    p.set_defaults(func=cmd_handout)

    p = sub.add_parser(
        "lecture",
        help="the lesson as one MP4 with a chapter per scene, and .vtt/.srt captions from the beat notes",
        description="Render the lesson's scenes (or reuse their last render), join them in teaching order "
        "into one MP4 with a chapter per scene, and write captions beside it (FILE.vtt, FILE.srt), one "
        "cue per beat. Exit code 2 when a scene failed: then nothing is written.",
    )
    _add_scene_arguments(p, "join (default: the whole lesson)")
    p.add_argument("--out", required=True, metavar="FILE.mp4", help="the video to write (its folder must exist)")
    p.add_argument("--force", action="store_true", help="run manim even for scenes whose inputs did not change")
    p.set_defaults(func=cmd_lecture)
