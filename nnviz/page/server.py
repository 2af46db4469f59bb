"""The local server of the draw-a-digit page: the page's own files, and videos of the drawn digit.

A Starlette application (the ``serve`` extra). It serves, from memory, exactly the files
:func:`~nnviz.page.site.write_page` writes, and a small API that ``js/serve.js`` uses:

===========================================  =================================================
``GET  /api/info``                           what the server renders (the page shows its panel)
``POST /api/videos?palette=P``               body: the drawing as PNG or JPEG (at most 2 MB);
                                             202 and the request's status (JSON)
``GET  /api/videos/<id>``                    status: place in line, progress, finished clips
``GET  /api/videos/<id>/<Scene>.mp4``        a finished clip
===========================================  =================================================

Every refusal is a 4xx with one line of plain text saying what is wrong and what to do, and a
refused request writes nothing: a picture is checked (type, size, decodable, a digit the core
can pre-process) before the queue stores it.

Example::

    app = create_app(load_site(page_folder), VideoQueue(work_folder, weights=None), load_network())
    uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..core.errors import NnvizError
from ..core.network import Network
from ..core.preprocess import preprocess_image
from ..theme import PALETTES
from .videos import QUALITY, VideoQueue, video_scenes

#: The largest picture body accepted. The page's 280x280 drawing is a few kB as PNG.
MAX_BYTES = 2 * 1024 * 1024
#: The largest picture side accepted, in pixels (a small PNG can hold a huge, empty image).
MAX_SIDE = 4096
#: Accepted body types and the file suffix each is stored with (what ``nnviz render --digit`` reads).
PICTURE_TYPES = {"PNG": ".png", "JPEG": ".jpg"}
#: Host names a server bound to the loopback answers to (guards against DNS rebinding).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")

_REQUEST_ID = re.compile(r"^[0-9a-f]{12}$")
_SCENE_NAME = re.compile(r"^[A-Za-z_]\w*$")


def load_site(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (a page written by ``write_page``), keyed by its URL path.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "index.html").write_text("<!doctype html>")
    >>> load_site(root)
    {'index.html': b'<!doctype html>'}
    """
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class RefuseDotDot:
    """ASGI middleware: a path with a ``..`` segment (also percent-encoded) gets 400, before any route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ".." in re.split(r"[/\\]", scope.get("path", "")):
            response = PlainTextResponse("'..' is not allowed in a path; ask for a file of the page, e.g. /\n", 400)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def check_picture(body: bytes, content_type: str) -> tuple[str, np.ndarray]:
    """``(suffix, the core's 28x28 input)`` of a picture body, or ``HTTPException`` saying what is wrong.

    >>> check_picture(b"hello", "image/png")
    Traceback (most recent call last):
    ...
    starlette.exceptions.HTTPException: 400: the body is not a PNG or JPEG picture; send the drawing as a PNG
    """
    if content_type.split(";")[0].strip().lower() not in ("image/png", "image/jpeg"):
        raise HTTPException(415, "send the drawing as a PNG or JPEG body with Content-Type image/png or image/jpeg")
    if not body:
        raise HTTPException(400, "the body is empty; send the drawing as a PNG")
    try:
        with Image.open(io.BytesIO(body)) as img:
            kind = img.format or ""
            if kind not in PICTURE_TYPES:
                raise HTTPException(415, f"the body is a {kind or 'unknown'} image; send a PNG or JPEG")
            if max(img.size) > MAX_SIDE:
                width, height = img.size
                raise HTTPException(
                    413, f"the picture is {width}x{height} pixels; send one at most {MAX_SIDE} on a side"
                )
            img.load()  # a truncated or corrupt file fails here, not in the render
            picture = img.copy()
    except HTTPException:
        raise
    except Image.DecompressionBombError:
        raise HTTPException(413, f"the picture has too many pixels; send one at most {MAX_SIDE} on a side") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise HTTPException(400, "the body is not a PNG or JPEG picture; send the drawing as a PNG") from None
    try:
        pixels = preprocess_image(picture)
    except NnvizError as e:
        raise HTTPException(422, f"draw a digit first: {e}") from None
    return PICTURE_TYPES[kind], pixels


async def read_body(request: Request, limit: int = MAX_BYTES) -> bytes:
    """The request body, refused with 413 as soon as it is larger than ``limit`` bytes."""
    too_large = HTTPException(413, f"the picture is over {limit // (1024 * 1024)} MB; send a smaller PNG")
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise HTTPException(400, "the Content-Length header is not a number")
        if int(length) > limit:
            raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(
    site: Mapping[str, bytes],
    queue: VideoQueue,
    network: Network,
    *,
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_NAMES,
    on_ready: Callable[[], object] | None = None,
) -> Starlette:
    """The application: ``site`` (URL path -> bytes) and the video API over ``queue``.

    ``allowed_hosts``: the Host header names answered (None: any, for a server on the network).
    ``on_ready`` runs once the server listens (``--open`` opens the browser there).
    """

    async def info(request: Request) -> Response:
        return JSONResponse(
            {
                "server": "nnviz serve",
                "scenes": [e.name for e in video_scenes()],
                "quality": f"-q {QUALITY}: 854x480, 15 frames per second",
                "max_bytes": MAX_BYTES,
                "palettes": list(PALETTES),
            }
        )

    async def submit(request: Request) -> Response:
        palette = request.query_params.get("palette", "classic")
        if palette not in PALETTES:
            raise HTTPException(400, f"unknown palette {palette!r}; use one of: {', '.join(PALETTES)}")
        body = await read_body(request)
        suffix, pixels = await run_in_threadpool(check_picture, body, request.headers.get("content-type", ""))
        prediction = int(network.forward(pixels.reshape(-1)).prediction)
        try:
            video = await run_in_threadpool(queue.submit, body, suffix, palette, prediction)
        except NnvizError as e:
            raise HTTPException(503, str(e)) from None
        return JSONResponse(queue.status(video), status_code=202)

    def find(request: Request) -> str:
        request_id = request.path_params["id"]
        if not _REQUEST_ID.match(request_id) or queue.get(request_id) is None:
            raise HTTPException(404, f"no video request {request_id!r}; make one with POST /api/videos")
        return str(request_id)

    async def status(request: Request) -> Response:
        video = queue.get(find(request))
        assert video is not None
        return JSONResponse(queue.status(video))

    async def clip(request: Request) -> Response:
        request_id, scene = find(request), request.path_params["scene"]
        path = queue.clip(request_id, scene) if _SCENE_NAME.match(scene) else None
        if path is None:
            raise HTTPException(404, f"no finished clip {scene}.mp4 for request {request_id}; ask its status first")
        return FileResponse(path, media_type="video/mp4", content_disposition_type="inline")

    async def page_file(request: Request) -> Response:
        name = request.path_params["path"] or "index.html"
        if name not in site:
            raise HTTPException(404, f"no such file: /{name}; the page is at /")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json")):
            kind += "; charset=utf-8"
        return Response(site[name], media_type=kind, headers={"Cache-Control": "no-cache"})

    async def plain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return PlainTextResponse(f"{exc.detail}\n", exc.status_code, headers=exc.headers)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_ready is not None:
            on_ready()
        yield

    middleware = [Middleware(RefuseDotDot)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    routes = [
        Route("/api/info", info, methods=["GET"]),
        Route("/api/videos", submit, methods=["POST"]),
        Route("/api/videos/{id}", status, methods=["GET"]),
        Route("/api/videos/{id}/{scene}.mp4", clip, methods=["GET"]),
        Route("/{path:path}", page_file, methods=["GET"]),
    ]
    return Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: plain_error}, lifespan=lifespan
    )
