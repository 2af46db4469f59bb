"""Write the draw-a-digit page into a folder: the static files plus the network's numbers.

The folder is self-contained: it opens from ``file://`` with no network and from any static
web host. A ``nnviz-page.json`` marker names what the folder holds, so writing again into a
page folder replaces it, while a folder holding anything else is refused.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "page"
>>> files = write_page(out)
>>> sorted(p.name for p in out.iterdir())[:3]
['data.js', 'index.html', 'js']
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..api import load_network
from ..core.datasets import load_dataset
from ..core.errors import NnvizError
from ..core.network import Network
from ..core.preprocess import CANVAS
from .export import as_script, network_data, sample_data

MARKER = "nnviz-page.json"


def static_folder() -> Path:
    """The page's own files (HTML, CSS, JavaScript), shipped as package data."""
    return Path(__file__).resolve().parent / "static"


def check_page_folder(out: Path) -> None:
    """Refuse ``out`` unless it is missing, empty, or a page written before (before any work)."""
    if out.exists() and not out.is_dir():
        raise NnvizError(f"--out {out}: is a file; give a folder for the page")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise NnvizError(f"--out {out}: the folder holds other files; choose an empty or new folder")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise NnvizError(f"--out {out}: the folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise NnvizError(f"--out {out}: cannot write in {parent}")


def write_page(
    out: str | os.PathLike[str],
    network: Network | None = None,
    palette: str = "classic",
    source: str = "the shipped 784-16-16-10 network",
) -> list[Path]:
    """Write the page into ``out`` and return the files written.

    The new page is assembled in a temporary folder beside ``out`` and moved into place, so an
    interrupted write leaves the old page (or nothing), never a mix.
    """
    out = Path(out)
    check_page_folder(out)
    network = network if network is not None else load_network()
    if network.sizes[0] != CANVAS * CANVAS:
        raise NnvizError(
            f"the page reads {CANVAS}x{CANVAS} digits, but this network takes {network.sizes[0]} inputs; "
            f"use a network with {CANVAS * CANVAS} inputs"
        )
    data = network_data(network, palette)
    data["source"] = source
    samples = sample_data(network, load_dataset(split="test"))
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.resolve().parent))
    try:
        shutil.copytree(static_folder(), tmp, dirs_exist_ok=True)
        (tmp / "data.js").write_text(as_script("NNVIZ_DATA", data), encoding="utf-8")
        (tmp / "samples.js").write_text(as_script("NNVIZ_SAMPLES", samples), encoding="utf-8")
        manifest = {"what": "nnviz draw-a-digit page", "network": source, "palette": palette}
        (tmp / MARKER).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(p for p in out.rglob("*") if p.is_file())
