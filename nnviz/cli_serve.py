"""The ``nnviz serve`` command: the draw-a-digit page on a local web server, plus videos of the digit.

    nnviz serve                      # http://127.0.0.1:8000/, the shipped network
    nnviz serve --port 0 --open      # any free port, opened in the default browser
    nnviz serve --host 0.0.0.0       # reachable from other machines of the network

The page is the one ``nnviz page`` writes, written into a temporary folder and served from
memory; the videos are rendered into that folder, which is removed when the server stops
(Ctrl-C, or SIGTERM). Nothing is written into the current folder. The server needs the
``serve`` extra (Starlette and uvicorn), imported only when the command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import shutil
import signal
import socket
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from .cli_options import Parser, add_palette_argument
from .cli_page import page_network
from .core.errors import NnvizError, install_hint

#: What ``nnviz serve`` says when the ``serve`` extra is missing.
MISSING_EXTRA = "the server needs the serve extra (Starlette and uvicorn): " + install_hint("serve")


def port_number(text: str) -> int:
    """argparse type of ``--port``: 0 (any free port) to 65535.

    >>> port_number("8000")
    8000
    """
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number; use 1..65535, or 0 for any free port")
    return int(text)


def is_loopback(host: str) -> bool:
    """True for the names of this machine only (127.0.0.1, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("localhost")
    (True, False, True)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or ``NnvizError`` in one line (port in use, unknown host).

    Bound here rather than by uvicorn, which logs a traceback-like error and exits 1.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as e:
        raise NnvizError(f"--host {host}: not an address of this machine ({e}); use 127.0.0.1") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn: a restart need not wait
        sock.bind(address)
        sock.listen(128)
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise NnvizError(
                f"--port {port}: {host}:{port} is in use; stop what uses it or choose another --port"
            ) from None
        raise NnvizError(f"--host {host} --port {port}: cannot listen there ({e.strerror or e})") from None
    sock.set_inheritable(False)  # the manim processes must not hold the port open
    return sock


def url_of(sock: socket.socket, host: str) -> str:
    """The address to open in a browser: 127.0.0.1 for a server on every interface."""
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "[::1]" if host == "::" else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


@contextlib.contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """SIGTERM stops the server as Ctrl-C does, so the temporary folder is removed either way.

    uvicorn catches both signals while it runs and raises them again once it has stopped.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _say(line: str) -> None:
    print(f"nnviz serve: {line}", file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .page.server import LOOPBACK_NAMES, create_app, load_site
    except ImportError:
        raise NnvizError(MISSING_EXTRA) from None
    from .page.site import write_page
    from .page.videos import VideoQueue, video_scenes

    network, source = page_network(args.weights)
    weights = Path(args.weights) if args.weights else None
    sock = listen(args.host, args.port)
    url = url_of(sock, args.host)
    folder = Path(tempfile.mkdtemp(prefix="nnviz-serve-"))
    stopped = False
    try:
        write_page(folder / "page", network, palette=args.palette, source=source)
        site = load_site(folder / "page")
        shutil.rmtree(folder / "page")
        queue = VideoQueue(folder, weights, log=_say)
        on_ready: Callable[[], object] | None = (lambda: webbrowser.open(url)) if args.open else None
        hosts = LOOPBACK_NAMES if is_loopback(args.host) else None
        app = create_app(site, queue, network, allowed_hosts=hosts, on_ready=on_ready)
        config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=3)
        scenes = " and ".join(e.name for e in video_scenes())
        print(f"serving the draw-a-digit page at {url}  (Ctrl-C stops)", flush=True)
        _say(f"videos of a drawn digit: {scenes} at 480p, one at a time; work folder {folder}")
        if hosts is None:
            _say(f"listening on {args.host}: anyone who can reach this machine can use the page and queue renders")
        try:
            with sigterm_as_ctrl_c():
                uvicorn.Server(config).run(sockets=[sock])
        except KeyboardInterrupt:
            stopped = True
        finally:
            queue.close()
    finally:
        sock.close()
        shutil.rmtree(folder, ignore_errors=True)
    _say(f"{'stopped' if stopped else 'done'}; removed {folder}")
    return 0


def add_serve_command(sub: argparse._SubParsersAction[Parser]) -> None:
    """Register ``serve`` on the ``nnviz`` parser."""
    p = sub.add_parser(
        "serve",
        help="serve the draw-a-digit page locally, with videos of the drawn digit (needs nnviz[serve])",
        description="Serve the page of `nnviz page` on this machine and add one thing: a video of "
        "the drawn digit (the PreProcessing and FeedForward scenes at 480p), rendered by manim "
        "one request at a time. Ctrl-C stops the server and any render and removes its temporary files.",
    )
    p.add_argument("--port", type=port_number, default=8000, metavar="N", help="port (default 8000; 0: any free one)")
    p.add_argument(
        "--host", default="127.0.0.1", metavar="H",
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)",
    )  # fmt: skip
    p.add_argument("--weights", metavar="F", help="weights .npz file (default: the shipped network)")
    add_palette_argument(p, "classic", "colours of the weight signs (the page can switch)")
    p.add_argument("--open", action="store_true", help="open the page in the default web browser")
    p.set_defaults(func=cmd_serve)
