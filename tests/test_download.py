"""download_mnist against a local HTTP server serving small IDX files the test writes."""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.datasets import load_dataset
from nnviz.core.download import MNIST_SHA256, default_cache_dir, download_mnist, sha256_of
from nnviz.core.errors import NnvizError
from nnviz.core.idx import write_idx


@pytest.fixture
def tmp_path(tmp_path_factory):
    """A fresh directory named "case<n>": pytest's own is named after the test, and then a
    message check such as match="truncated" could succeed on the path alone."""
    return tmp_path_factory.mktemp("case")


NAMES = list(MNIST_SHA256)


class _Server:
    """A quiet http.server on 127.0.0.1 that counts the requests it answers."""

    def __init__(self, root: Path) -> None:
        self.requests: list[str] = []
        server_self = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                server_self.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args) -> None:  # keep pytest's output clean
                pass

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"
        # A short poll interval makes shutdown() quick at the end of each test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """urllib would send even 127.0.0.1 through a proxy named in the environment."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def served(tmp_path):
    """Four small gzipped IDX files under /mnist/, their digests, and the running server."""
    root = tmp_path / "www"
    (root / "mnist").mkdir(parents=True)
    rng = np.random.default_rng(0)
    sizes = {"train": 20, "t10k": 7}
    for stem, n in sizes.items():
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        write_idx(root / "mnist" / f"{stem}-images-idx3-ubyte.gz", images)
        write_idx(root / "mnist" / f"{stem}-labels-idx1-ubyte.gz", rng.integers(0, 10, n, dtype=np.uint8))
    digests = {name: hashlib.sha256((root / "mnist" / name).read_bytes()).hexdigest() for name in NAMES}
    server = _Server(root)
    yield server, digests, root / "mnist"
    server.close()


def test_downloads_and_verifies(served, tmp_path):
    server, digests, origin = served
    seen: list[tuple[str, int, int | None]] = []
    umask = os.umask(0)
    os.umask(umask)
    cache = download_mnist(
        tmp_path / "cache", base_url=server.url, checksums=digests, progress=lambda *args: seen.append(args)
    )
    assert cache == tmp_path / "cache"
    assert sorted(p.name for p in cache.iterdir()) == sorted(NAMES)  # no temporary files left
    for name in NAMES:
        assert (cache / name).read_bytes() == (origin / name).read_bytes()
        assert (cache / name).stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    assert len(server.requests) == 4
    # Progress reports each file, finishing with bytes_done == bytes_total == its size.
    for name in NAMES:
        last = [s for s in seen if s[0] == name][-1]
        assert last[1] == last[2] == (origin / name).stat().st_size
    # The cache is a loadable IDX directory.
    assert len(load_dataset(cache, "train")) == 20 and len(load_dataset(cache, "test")) == 7


def test_checksum_mismatch_leaves_no_file(served, tmp_path):
    server, digests, _ = served
    wrong = dict(digests)
    bad_name = "t10k-images-idx3-ubyte.gz"
    wrong[bad_name] = "0" * 64
    cache = tmp_path / "cache"
    with pytest.raises(NnvizError, match="SHA-256") as e:
        download_mnist(cache, base_url=server.url, checksums=wrong)
    assert bad_name in str(e.value) and "\n" not in str(e.value)
    assert not (cache / bad_name).exists()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temporary file
    # The files verified before the bad one are kept, so a retry resumes after them.
    kept = {p.name for p in cache.iterdir()}
    assert kept == set(NAMES[: NAMES.index(bad_name)])


def test_present_verified_files_are_not_fetched_again(served, tmp_path):
    server, digests, _ = served
    cache = download_mnist(tmp_path / "cache", base_url=server.url, checksums=digests)
    before = {name: (cache / name).stat().st_mtime_ns for name in NAMES}
    server.requests.clear()
    download_mnist(cache, base_url=server.url, checksums=digests)
    assert server.requests == []
    assert {name: (cache / name).stat().st_mtime_ns for name in NAMES} == before


def test_corrupt_cached_file_is_replaced(served, tmp_path):
    server, digests, origin = served
    cache = download_mnist(tmp_path / "cache", base_url=server.url, checksums=digests)
    damaged = cache / "train-labels-idx1-ubyte.gz"
    damaged.write_bytes(b"half a file")
    server.requests.clear()
    download_mnist(cache, base_url=server.url, checksums=digests)
    assert server.requests == ["/mnist/train-labels-idx1-ubyte.gz"]
    assert damaged.read_bytes() == (origin / damaged.name).read_bytes()


def test_missing_file_on_server(served, tmp_path):
    server, _digests, _ = served
    with pytest.raises(NnvizError, match="404") as e:
        download_mnist(tmp_path / "cache", base_url=server.url, checksums={"absent.gz": "0" * 64})
    assert "absent.gz" in str(e.value)
    assert list((tmp_path / "cache").iterdir()) == []


def test_unreachable_server(tmp_path):
    # Port 9 (discard) on localhost refuses connections on any normal machine.
    with pytest.raises(NnvizError, match="download failed"):
        download_mnist(tmp_path / "cache", base_url="http://127.0.0.1:9/", checksums={"x.gz": "0" * 64}, timeout=5)
    assert list((tmp_path / "cache").iterdir()) == []


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("NNVIZ_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("NNVIZ_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "nnviz" / "mnist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "nnviz" / "mnist"


def test_known_digest_table():
    assert set(MNIST_SHA256) == {
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    }
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for d in MNIST_SHA256.values())


def test_sha256_of(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert sha256_of(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
