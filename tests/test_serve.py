"""``nnviz serve``: a real server in a subprocess serves the page, renders videos, refuses bad requests.

Each server runs in an empty working folder with ``TMPDIR`` pointing at a folder of the test, so
the test sees every file the server writes: its one ``nnviz-serve-*`` work folder, removed when
it stops. Renders use a scenes folder holding only ``feed_forward.py`` (the lesson's own file):
the catalog's ``PreProcessing`` has no file there, so one scene is rendered, which is what the
server does whenever a scene is missing, and the cheapest real render there is.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from nnviz import load_dataset
from nnviz.lesson.catalog import default_scenes_dir
from nnviz.page.site import write_page

pytest.importorskip("starlette", reason="the serve extra: pip install -e '.[serve]'")
pytest.importorskip("uvicorn", reason="the serve extra: pip install -e '.[serve]'")

RENDER_TIMEOUT = 600  # seconds: one FeedForward at -q l is about a minute on two busy cores


@dataclass
class Server:
    proc: subprocess.Popen[str]
    port: int
    tmp: Path  # the server's TMPDIR
    cwd: Path

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Send ``path`` as it is (no client-side normalisation of ``..``); returns status and body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def post_picture(self, png: bytes, kind: str = "image/png", query: str = "") -> tuple[int, bytes]:
        return self.request("POST", "/api/videos" + query, png, {"Content-Type": kind})

    def status(self, request_id: str) -> dict[str, Any]:
        code, body = self.request("GET", f"/api/videos/{request_id}")
        assert code == 200, body
        return json.loads(body)  # type: ignore[no-any-return]

    def files(self) -> list[str]:
        """Every file and folder under the server's TMPDIR and working folder."""
        return sorted(str(p) for folder in (self.tmp, self.cwd) for p in folder.rglob("*"))

    def stop(self) -> tuple[int, str]:
        """Ctrl-C (SIGINT) and wait; returns the exit code and what it wrote on stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err


@contextmanager
def running_server(tmp_path: Path, scenes_dir: Path | None = None, *args: str) -> Iterator[Server]:
    """``nnviz serve --port 0`` in an empty folder; stopped with Ctrl-C in the end whatever happens."""
    tmp, cwd = tmp_path / "tmp", tmp_path / "cwd"
    tmp.mkdir()
    cwd.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    if scenes_dir is not None:
        env["NNVIZ_SCENES_DIR"] = str(scenes_dir)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nnviz", "serve", "--port", "0", *args],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    server = None
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "nnviz serve said nothing for two minutes"
        line = proc.stdout.readline()  # "serving the draw-a-digit page at http://127.0.0.1:PORT/ ..."
        assert "http://127.0.0.1:" in line, line + proc.stderr.read() if proc.stderr else ""
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        server = Server(proc, port, tmp, cwd)
        yield server
    finally:
        if server is None:
            proc.kill()
            proc.communicate()
        else:
            server.stop()


def scenes_folder(tmp_path: Path, *files: str) -> Path:
    folder = tmp_path / "scenes"
    folder.mkdir()
    for name in files:
        shutil.copy(default_scenes_dir() / name, folder / name)
    return folder


def drawing(index: int) -> bytes:
    """A held-out test digit drawn large, white on black, as the page's 280x280 pad would hold it."""
    pixels = load_dataset().images[index]
    img = Image.fromarray(pixels).resize((280, 280), Image.Resampling.BICUBIC)
    out = BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def manim_processes(marker: str) -> list[int]:
    """Pids of processes whose command line mentions ``marker`` (the server's TMPDIR)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "manim" in command and marker in command:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that render nothing."""
    with running_server(tmp_path_factory.mktemp("serve")) as s:
        yield s


# ---------------------------------------------------------------- the page


class TestOneServer:
    """Tests of one running server (``server``): a class runs on one pytest-xdist worker."""

    def test_serves_exactly_the_files_of_nnviz_page(self, server: Server, tmp_path: Path) -> None:
        page = tmp_path / "page"
        written = write_page(page)
        assert len(written) > 5
        for path in written:
            name = path.relative_to(page).as_posix()
            code, body = server.request("GET", "/" + name)
            assert code == 200, name
            assert body == path.read_bytes(), name
        code, body = server.request("GET", "/")
        assert code == 200 and body == (page / "index.html").read_bytes()
        assert b'<div id="video-panel" hidden>' in body and b"js/serve.js" in body
        code, body = server.request("GET", "/api/info")
        info = json.loads(body)
        assert code == 200 and info["server"] == "nnviz serve" and info["scenes"][-1] == "FeedForward"

    def test_binds_to_the_loopback_only(self, server: Server) -> None:
        listening = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for row in Path(table).read_text().splitlines()[1:]:
                local, state = row.split()[1], row.split()[3]
                address, port = local.split(":")
                if int(port, 16) == server.port and state == "0A":  # LISTEN
                    listening.append(address)
        assert listening == ["0100007F"]  # 127.0.0.1, and nothing else
        # A page from another site that resolves its name to 127.0.0.1 is not answered.
        code, _ = server.request("GET", "/", headers={"Host": "attacker.example"})
        assert code == 400

    # ---------------------------------------------------------------- bad requests

    def test_bad_requests_are_refused_and_write_nothing(self, server: Server) -> None:
        before = server.files()
        noise = Image.fromarray(np.random.default_rng(0).integers(0, 256, (1000, 1000, 3), dtype=np.uint8))
        big = BytesIO()
        noise.save(big, "PNG")
        assert len(big.getvalue()) > 2 * 1024 * 1024
        empty, wide, bomb = BytesIO(), BytesIO(), BytesIO()
        Image.new("L", (280, 280), 0).save(empty, "PNG")
        Image.new("L", (5000, 20), 0).save(wide, "PNG")
        Image.new("1", (20000, 20000), 0).save(bomb, "PNG")  # 400 megapixels in a few kB
        refusals = [
            (server.post_picture(b"this is not an image"), 400, "not a PNG or JPEG"),
            (server.post_picture(b"GIF89a" + bytes(100)), 400, "not a PNG or JPEG"),
            (server.post_picture(big.getvalue()), 413, "over 2 MB"),
            (server.post_picture(b"\x89PNG" + bytes(3 * 1024 * 1024)), 413, "over 2 MB"),
            (server.post_picture(wide.getvalue()), 413, "at most 4096 on a side"),
            (server.post_picture(bomb.getvalue()), 413, "at most 4096 on a side"),
            (server.post_picture(drawing(0), kind="text/plain"), 415, "image/png"),
            (server.post_picture(empty.getvalue()), 422, "draw a digit"),
            (server.post_picture(drawing(0), query="?palette=rainbow"), 400, "unknown palette"),
            (server.request("GET", "/no/such/file.js"), 404, "no such file"),
            (server.request("GET", "/api/videos/0123456789ab"), 404, "no video request"),
            (server.request("GET", "/api/videos/0123456789ab/FeedForward.mp4"), 404, "no video request"),
            (server.request("GET", "/../etc/passwd"), 400, "'..'"),
            (server.request("GET", "/js/%2e%2e/index.html"), 400, "'..'"),
            (server.request("GET", "/js/..%2Fdata.js"), 400, "'..'"),
            (server.request("POST", "/index.html", b"x"), 405, ""),
        ]
        for (code, body), expected, words in refusals:
            text = body.decode()
            assert code == expected, (code, text)
            assert words in text and text.count("\n") <= 1, text
        assert server.files() == before
        assert list(server.cwd.iterdir()) == []


def test_missing_extra_says_what_to_install(tmp_path: Path) -> None:
    code = "import sys; sys.modules['uvicorn'] = None\nfrom nnviz.cli import main\nsys.exit(main(['serve']))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert (
        result.stderr.count("\n") == 1
        and "pip install -e '.[serve]'" in result.stderr
        and "whl[serve]" in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "nnviz", "serve", "--port", str(port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "TMPDIR": str(tmp_path)},
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and f"{port} is in use" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_video_scenes_follow_the_catalog_at_request_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nnviz.lesson import catalog
    from nnviz.page.videos import video_scenes

    both = scenes_folder(tmp_path, "feed_forward.py", "pre_processing.py")
    assert [e.name for e in video_scenes(both)] == ["PreProcessing", "FeedForward"]  # teaching order
    (both / "pre_processing.py").unlink()
    assert [e.name for e in video_scenes(both)] == ["FeedForward"]
    without = tuple(s for s in catalog.SCENES if s.name != "PreProcessing")
    monkeypatch.setattr(catalog, "SCENES", without)
    assert [e.name for e in video_scenes(default_scenes_dir())] == ["FeedForward"]


# ---------------------------------------------------------------- videos


@pytest.mark.costly
def test_a_drawing_becomes_a_video_while_the_next_waits_then_ctrl_c_stops_all(tmp_path: Path) -> None:
    import av

    with running_server(tmp_path, scenes_folder(tmp_path, "feed_forward.py")) as server:
        code, body = server.post_picture(drawing(468))
        assert code == 202, body
        first = json.loads(body)
        assert first["scenes"] == ["FeedForward"] and first["prediction"] == 3
        code, body = server.post_picture(drawing(0), query="?palette=colorblind")
        assert code == 202, body
        second = json.loads(body)
        assert second["state"] == "queued" and second["position"] == 1
        # The same drawing again is the same request, not a second render.
        assert json.loads(server.post_picture(drawing(468))[1])["id"] == first["id"]

        deadline = time.monotonic() + RENDER_TIMEOUT
        seen = set()
        while True:
            waiting = server.status(second["id"])  # asked first: the first request was not done then either
            status = server.status(first["id"])
            if status["state"] not in ("queued", "rendering"):
                break
            seen.add(status["state"])
            assert waiting["state"] == "queued" and waiting["position"] == 1
            assert time.monotonic() < deadline, status
            time.sleep(1)
        assert status["state"] == "done", status
        assert "rendering" in seen
        [clip] = status["clips"]
        code, video = server.request("GET", "/" + clip["url"])
        assert code == 200
        with av.open(BytesIO(video)) as container:
            stream = container.streams.video[0]
            assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
            frames = sum(1 for _ in container.decode(stream))
        assert frames > 15 * 5  # seconds of video at 15 frames per second

        # The second request renders next; Ctrl-C in the middle stops it and removes everything.
        while server.status(second["id"])["state"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert server.status(second["id"])["state"] == "rendering"
        assert manim_processes(str(server.tmp))
        started = time.monotonic()
        code, err = server.stop()
        assert code == 0, err
        assert time.monotonic() - started < 30
        assert "stopped; removed" in err and "Traceback" not in err
        assert manim_processes(str(server.tmp)) == []
        assert list(server.tmp.iterdir()) == [] and list(server.cwd.iterdir()) == []


# ---------------------------------------------------------------- the page's panel, in Chromium

#: A stand-in FeedForward of half a second (the real one is rendered above): the panel's work is
#: to send the drawing, follow the request and play what comes back, whatever the scene.
QUICK_SCENE = """
from manim import FadeIn
from nnviz import LessonScene, PixelGrid


class FeedForward(LessonScene):
    def construct(self):
        self.play(FadeIn(PixelGrid(self.digit.pixels)), run_time=0.5)
"""


@pytest.mark.browser
def test_the_page_button_makes_a_video_and_plays_it(tmp_path: Path) -> None:
    from browser import draw, start_browser, wait_for
    from test_page_browser import DIGITS

    scenes = tmp_path / "scenes"
    scenes.mkdir()
    (scenes / "feed_forward.py").write_text(QUICK_SCENE, encoding="utf-8")
    driver = start_browser(tmp_path / "profile", loopback=True)
    try:
        with running_server(tmp_path, scenes) as server:
            driver.get(f"http://127.0.0.1:{server.port}/")
            wait_for(driver, "return !document.getElementById('video-panel').hidden", "the video panel")
            draw(driver, DIGITS["three"])
            driver.find_element("id", "video-make").click()
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(driver, RENDER_TIMEOUT).until(
                lambda d: d.execute_script("return document.getElementById('video').readyState >= 1"),
                message="the video element got a playable source",
            )
            src, width, height = driver.execute_script(
                "const v = document.getElementById('video'); return [v.currentSrc, v.videoWidth, v.videoHeight]"
            )
            assert src.endswith("/FeedForward.mp4") and (width, height) == (854, 480)
            status = driver.find_element("id", "video-status").text
            page_reads = driver.execute_script("return window.nnvizPage.state().prediction")
            assert f"the network reads it as {page_reads}" in status, status
    finally:
        driver.quit()
