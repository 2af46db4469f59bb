"""Run a scene's ``construct`` with every animation skipped, and print what it played as JSON.

Run as a script, each scene in a process of its own (a scene sets the theme and the random seeds
for the whole process)::

    python tests/scene_probe.py scenes/sigmoid.py Sigmoid MEDIA_DIR
    PROBE={"plays": 15, "beats": ["any_number", ...], "sections": [["any_number", 0], ["squish", 3], ...]}

tests/test_scenes.py runs it as a fork server instead (``python tests/scene_probe.py --serve``):
the server imports manim and nnviz once, then forks a fresh child per request, a JSON line
``{"path": ..., "name": ..., "media_dir": ..., "out": FILE}`` on its stdin; the child writes what
the script would print (and any traceback) to FILE, and the server answers ``{"status": N}``,
the child's exit code. Every scene still runs in a process of its own, without a second of
imports each.

The animations start past the last one (manim's ``-n 1000000000``, as ``--dry_run`` alone would
still draw every frame with Cairo): manim then skips each animation's frames but still runs all
of the scene's code: ``construct``, each animation's ``begin``, its last ``interpolate`` and
``finish``, and one drawing of the still part of the frame per animation. ``sections`` are the
scene's ``next_section`` calls, each with the index of the animation it starts at, so a test
can see that every animation lies in a named beat. The folder's ``manim.cfg`` applies (manim
reads it on import).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import traceback
from typing import Any

#: Play animations from this index on: past the last, so every animation is skipped.
SKIP_ALL = 1_000_000_000
#: The line of output that carries the JSON.
PREFIX = "PROBE="


def probe(path: str, name: str, media_dir: str) -> dict[str, Any]:
    """Construct scene ``name`` of file ``path`` without drawing its frames; what it played."""
    from manim import tempconfig

    spec = importlib.util.spec_from_file_location("scene_under_test", path)
    assert spec is not None and spec.loader is not None, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    settings = {
        "dry_run": True,
        "from_animation_number": SKIP_ALL,
        "quality": "low_quality",
        "media_dir": media_dir,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
    }
    sections: list[tuple[str, int]] = []
    with tempconfig(settings):
        scene = getattr(module, name)()
        next_section = scene.next_section

        def record_section(section_name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
            # manim drops the sections of a dry run (it writes no video): note where each starts.
            sections.append((section_name, scene.renderer.num_plays))
            next_section(section_name, *args, **kwargs)

        scene.next_section = record_section  # type: ignore[method-assign]
        scene.render()
    return {
        "plays": scene.renderer.num_plays,
        "beats": [beat for beat, _ in getattr(scene, "beats", [])],
        "sections": sections,
    }


def child(request: dict[str, str]) -> int:
    """In a forked child: probe one scene with stdout and stderr sent to ``request["out"]``."""
    fd = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    try:
        print(PREFIX + json.dumps(probe(request["path"], request["name"], request["media_dir"])), flush=True)
        return 0
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def serve() -> None:
    """Answer probe requests (JSON lines on stdin), each in a forked child, until stdin closes."""
    import manim  # noqa: F401 - imported once, here, for every child

    import nnviz.lesson
    import nnviz.visual  # noqa: F401

    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(child(request))
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        print(PREFIX + json.dumps(probe(*sys.argv[1:4])))
