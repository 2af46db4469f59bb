"""The ``nnviz page`` command: the draw-a-digit page written into a folder.

It loads only the core and the page's exporter, never manim.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_options import Parser, add_palette_argument

if TYPE_CHECKING:
    from .core.network import Network


def page_network(weights: str | None) -> tuple[Network, str]:
    """The network a page shows (``--weights`` or the shipped one) and how the page names it."""
    from .api import load_network

    if weights is None:
        return load_network(), "the shipped 784-16-16-10 network"
    return load_network(weights), f"weights from {Path(weights).name}"


def cmd_page(args: argparse.Namespace) -> int:
    from .page.site import check_page_folder, write_page

    out = Path(args.out)
    check_page_folder(out)
    network, source = page_network(args.weights)
    files = write_page(out, network, palette=args.palette, source=source)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"wrote {len(files)} files ({size:.1f} MB) to {out}/")
    print(f"open {(out / 'index.html').resolve().as_uri()} in a browser (works offline), or put {out}/ on any web host")
    return 0


def add_page_commands(sub: argparse._SubParsersAction[Parser]) -> None:
    """Register ``page`` on the ``nnviz`` parser."""
    p = sub.add_parser(
        "page",
        help="write the draw-a-digit page: a folder that opens offline in any browser",
        description="Write a self-contained static page (HTML, JavaScript, the network's weights, "
        "a few hundred held-out digits): draw a digit and watch the network read it.",
    )
    p.add_argument(
        "--out", required=True, metavar="DIR", help="folder for the page (new, empty, or a page written before)"
    )
    p.add_argument("--weights", metavar="F", help="weights .npz file (default: the shipped network)")
    add_palette_argument(p, "classic", "colours of the weight signs (the page can switch)")
    p.set_defaults(func=cmd_page)
