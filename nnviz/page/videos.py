"""Videos of a drawn digit: a queue of requests rendered one at a time by manim, in a folder of their own.

Each request is one picture (PNG or JPEG bytes, already checked by the server) and a palette.
The lesson's scenes about one digit (``PreProcessing`` when the catalog has it, then
``FeedForward``) are rendered at 480p15 for it through nnviz's render pipeline
(:func:`nnviz.lesson.process.run_job`, the step :func:`~nnviz.lesson.render.run_renders` runs for
each job): the picture's path reaches the scenes as ``NNVIZ_DIGIT``, as ``nnviz render --digit``
does. One worker thread renders, so two requests never compete for the cores; the others wait
with their place in line. :meth:`VideoQueue.close` stops the render in progress as Ctrl-C stops
``nnviz render`` (manim asked to stop, then terminated).

Layout of ``folder`` (a temporary folder the caller removes)::

    media/                 manim's media folder, shared by every render (its caches too)
    requests/<id>/         my_digit.png (or .jpg) and the finished clips, <Scene>.mp4

Example::

    queue = VideoQueue(Path(tempfile.mkdtemp()), weights=None)
    request = queue.submit(png_bytes, ".png", palette="classic", prediction=3)
    queue.status(request)      # {"state": "rendering", "position": 0, ...}
    queue.close()
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import NnvizError
from ..core.paths import SHIPPED_NETWORK
from ..lesson.catalog import SCENES, SceneEntry, default_scenes_dir, find_scene
from ..lesson.jobs import RenderJob, RenderOptions, RenderResult
from ..lesson.process import ProcessTable, run_job
from ..lesson.settings import ENV_DIGIT, ENV_PALETTE, ENV_SNAPSHOTS, ENV_WEIGHTS

#: The scenes a video of one digit is made of, rendered in the lesson's teaching order.
VIDEO_SCENES = ("PreProcessing", "FeedForward")
#: manim's quality for the videos: 854x480 at 15 frames per second.
QUALITY = "l"
#: Requests waiting (not counting the one rendering); more get "try again later".
MAX_WAITING = 20

Log = Callable[[str], None]


def video_scenes(scenes_dir: Path | None = None) -> list[SceneEntry]:
    """The scenes to render for a digit, read from the catalog now: those of it whose file exists.

    >>> [e.name for e in video_scenes()][-1]
    'FeedForward'
    """
    folder = scenes_dir or default_scenes_dir()
    found = []
    for name in VIDEO_SCENES:
        try:
            entry = find_scene(name)
        except NnvizError:  # not in this version's catalog
            continue
        if entry.path(folder).is_file():
            found.append(entry)
    order = {s.name: i for i, s in enumerate(SCENES)}
    return sorted(found, key=lambda e: order[e.name])


@dataclass
class VideoRequest:
    """One request: its picture, the scenes to render, and how far it has got."""

    id: str
    picture: Path
    palette: str
    prediction: int
    scenes: list[SceneEntry]
    state: str = "queued"  # queued, rendering, done, failed, cancelled
    scene_index: int = 0
    animation: int | None = None
    fraction: float | None = None
    text: str = "waiting"
    clips: list[Path] = field(default_factory=list)
    error: str | None = None
    started: float | None = None
    seconds: float | None = None

    @property
    def folder(self) -> Path:
        """The request's own folder: its picture and its clips."""
        return self.picture.parent


class VideoQueue:
    """Requests for videos of a digit, rendered one at a time in ``folder`` by a worker thread.

    ``weights`` is the network's file (None: the shipped one); it and the palette reach the
    scenes as ``NNVIZ_WEIGHTS`` and ``NNVIZ_PALETTE``, always set, so a ``manim.cfg`` in the
    current folder cannot make the video show another network than the page.
    """

    def __init__(self, folder: Path, weights: Path | None, log: Log | None = None) -> None:
        self.folder = folder
        self.weights = (weights or SHIPPED_NETWORK).resolve()
        self.log = log or (lambda line: None)
        self.options = RenderOptions(quality=QUALITY, media_dir=folder / "media")
        self.requests: dict[str, VideoRequest] = {}
        self.waiting: deque[str] = deque()
        self.by_key: dict[str, str] = {}  # picture + palette digest -> request id
        self.animations: dict[str, int] = {}  # scene -> animation count of its last render
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.table = ProcessTable()
        self.closed = False
        self.worker = threading.Thread(target=self._work, name="nnviz-videos", daemon=True)
        self.worker.start()

    # ------------------------------------------------------------ requests

    def submit(self, picture: bytes, suffix: str, palette: str, prediction: int) -> VideoRequest:
        """Queue a video of ``picture`` (checked image bytes; ``suffix`` ``.png`` or ``.jpg``).

        The same picture with the same palette again gets the request made before (still
        waiting, rendering or done), not a second render. Raises ``NnvizError`` when the queue
        is full, closed, or no scene to render is installed.
        """
        key = hashlib.sha256(picture + b"\0" + palette.encode()).hexdigest()
        with self.lock:
            if self.closed:
                raise NnvizError("the server is stopping")
            known = self.requests.get(self.by_key.get(key, ""))
            if known is not None and known.state in ("queued", "rendering", "done"):
                return known
            if len(self.waiting) >= MAX_WAITING:
                raise NnvizError(f"{MAX_WAITING} videos are waiting already; try again in a few minutes")
            scenes = video_scenes()
            if not any(e.name == "FeedForward" for e in scenes):
                raise NnvizError("the FeedForward scene file is missing from this installation; reinstall nnviz")
            request_id = key[:12]
            folder = self.folder / "requests" / request_id
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"my_digit{suffix}"  # the name the page's "Download PNG" gives it
            path.write_bytes(picture)
            request = VideoRequest(request_id, path, palette, prediction, scenes)
            self.requests[request_id] = request
            self.by_key[key] = request_id
            self.waiting.append(request_id)
            # Logged before the worker can take it, so the log reads in order.
            self.log(f"video {request_id}: queued, {self._position(request)} ahead of it")
            self.wake.notify()
        return request

    def get(self, request_id: str) -> VideoRequest | None:
        """The request with this id, or None."""
        with self.lock:
            return self.requests.get(request_id)

    def _position(self, request: VideoRequest) -> int:
        """How many requests render before this one: 0 when it is rendering or finished (lock held)."""
        if request.state != "queued":
            return 0
        with contextlib.suppress(ValueError):
            return list(self.waiting).index(request.id) + (1 if self._rendering() else 0)
        return 0

    def status(self, request: VideoRequest) -> dict[str, Any]:
        """The request as the page sees it (JSON): state, place in line, progress, clips."""
        with self.lock:  # one consistent picture: the worker updates these fields as it goes
            scenes = [e.name for e in request.scenes]
            count, i, state = len(scenes), request.scene_index, request.state
            total = self.animations.get(scenes[i]) if i < count else None
            fraction: float | None = None
            if state == "done":
                fraction = 1.0
            elif state == "rendering" and total and request.animation is not None:
                within = min(1.0, (request.animation + (request.fraction or 0.0)) / total)
                fraction = (i + within) / count
            elif state == "rendering":
                fraction = i / count if i else None  # the first render of a scene: its length is not known yet
            return {
                "id": request.id,
                "state": state,
                "position": self._position(request),
                "scenes": scenes,
                "scene": scenes[i] if state == "rendering" and i < count else None,
                "scene_number": i + 1,
                "animation": request.animation,
                "animations": total,
                "progress": fraction,
                "text": request.text,
                "prediction": request.prediction,
                "palette": request.palette,
                "clips": [{"scene": p.stem, "url": f"api/videos/{request.id}/{p.stem}.mp4"} for p in request.clips],
                "error": request.error,
                "seconds": round(request.seconds, 1) if request.seconds is not None else None,
            }

    def clip(self, request_id: str, scene: str) -> Path | None:
        """The finished clip of ``scene`` for the request, or None."""
        with self.lock:
            request = self.requests.get(request_id)
            clips = list(request.clips) if request else []
        return next((p for p in clips if p.stem == scene), None)

    def close(self) -> None:
        """Stop: waiting requests are cancelled, the render in progress is stopped; returns when it is."""
        with self.lock:
            self.closed = True
            for request_id in self.waiting:
                self.requests[request_id].state = "cancelled"
            self.waiting.clear()
            self.wake.notify_all()
        self.table.terminate_all()
        self.worker.join(timeout=30)

    # ------------------------------------------------------------ the worker

    def _rendering(self) -> bool:
        return any(r.state == "rendering" for r in self.requests.values())

    def _work(self) -> None:
        while True:
            with self.lock:
                while not self.waiting and not self.closed:
                    self.wake.wait()
                if self.closed:
                    return
                request = self.requests[self.waiting.popleft()]
                request.state = "rendering"
                request.started = time.monotonic()
            try:
                self._render(request)
            except Exception as e:  # a full disk, a broken media folder: this request fails, the server lives on
                with self.lock:
                    request.state, request.error = "failed", f"the render failed: {type(e).__name__}: {e}"
                    request.text = request.error
                self.log(f"video {request.id}: {request.error}")

    def _render(self, request: VideoRequest) -> None:
        env = {
            **os.environ,
            ENV_DIGIT: str(request.picture.resolve()),
            ENV_WEIGHTS: str(self.weights),
            ENV_PALETTE: request.palette,
            ENV_SNAPSHOTS: "",
            # As run_renders: wide lines keep manim's "File ready at" on one line; no buffering.
            "COLUMNS": "1000",
            "PYTHONUNBUFFERED": "1",
        }
        for i, entry in enumerate(request.scenes):
            with self.lock:
                request.scene_index, request.animation, request.fraction = i, None, None
                request.text = f"starting manim for {entry.name}"
            self.log(f"video {request.id}: rendering {entry.name}")
            job = RenderJob(entry.name, entry.path(default_scenes_dir()))
            self.options.media_dir.mkdir(parents=True, exist_ok=True)
            result = run_job(job, self.options, env, self._on_status(request, entry), self.table, reuse=False)
            if not self._keep(request, entry, result):
                return
        with self.lock:
            request.state, request.text = "done", "done"
            request.seconds = time.monotonic() - (request.started or time.monotonic())
        self.log(f"video {request.id}: done in {request.seconds:.0f} s")

    def _on_status(self, request: VideoRequest, entry: SceneEntry) -> Callable[[str, float | None], None]:
        def on_status(text: str, fraction: float | None) -> None:
            animation = None
            if text.startswith("animation "):
                with contextlib.suppress(ValueError):
                    animation = int(text.split()[1].rstrip(":"))
            with self.lock:
                request.text = f"{entry.name}: {text}"
                if animation is not None:
                    request.animation = animation
                request.fraction = fraction

        return on_status

    def _keep(self, request: VideoRequest, entry: SceneEntry, result: RenderResult) -> bool:
        """Move a finished clip into the request's folder; on failure mark the request. True: go on."""
        if result.ok and result.output is not None:
            clip = request.folder / f"{entry.name}.mp4"
            shutil.move(str(result.output), clip)  # the next request renders under the same name
            with self.lock:
                request.clips.append(clip)
                if result.animations:
                    self.animations[entry.name] = result.animations
            return True
        with self.lock:
            if result.returncode is None or self.closed:
                request.state, request.text = "cancelled", "stopped: the server is stopping"
            else:
                request.state = "failed"
                last = next((line for line in reversed(result.tail) if line.strip()), "no output")
                request.error = f"{entry.name} failed (exit {result.returncode}): {' '.join(last.split())[:200]}"
                request.text = request.error
        self.log(f"video {request.id}: {request.text}")
        return False
