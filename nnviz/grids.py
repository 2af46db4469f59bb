"""Weight grids as PNG files: one neuron's incoming weights as a square image, and a contact sheet.

Colours follow the theme: the palette's sign colours at opacity ``(|w| / max|row|) ** 0.3``
over the theme's background, inside its thin grid frame. Drawn with Pillow, so no manim render
and no manim import is needed::

    from pathlib import Path
    from nnviz import load_network
    from nnviz.grids import write_grids
    write_grids(load_network(), layer=1, out=Path("grids"))
    # grids/layer1_neuron00.png ... layer1_neuron15.png, grids/layer1_contact_sheet.png
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .core.atomic import atomic_write
from .core.errors import NnvizError
from .core.network import Network
from .theme import grid_opacity, make_theme

CELL = 10  # screen pixels per weight
FRAME = 2
GAP = 24


def grid_shape(n: int) -> tuple[int, int]:
    """A square (side, side) when n is a perfect square (784 -> 28x28), else one row.

    >>> grid_shape(784), grid_shape(10)
    ((28, 28), (1, 10))
    """
    side = math.isqrt(n)
    return (side, side) if side * side == n else (1, n)


def _hex_rgb(color: str) -> np.ndarray:
    color = color.lstrip("#")
    return np.array([int(color[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def weight_grid_image(row: np.ndarray, palette: str = "classic", cell: int = CELL) -> Image.Image:
    """One neuron's incoming weights as an RGB image in the theme's grid frame.

    >>> weight_grid_image(np.array([1.0, -1.0, 0.5, 0.0])).size
    (24, 24)
    """
    theme = make_theme(palette)
    h, w = grid_shape(row.size)
    weights = row.reshape(h, w)
    opacity = grid_opacity(weights, float(np.max(np.abs(weights))), theme)[..., None]
    colors = np.where(weights[..., None] >= 0, _hex_rgb(theme.positive), _hex_rgb(theme.negative))
    background = _hex_rgb(theme.background)
    pixels = np.rint(background + (colors - background) * opacity).astype(np.uint8)
    big = np.kron(pixels, np.ones((cell, cell, 1), dtype=np.uint8))
    framed = np.empty((big.shape[0] + 2 * FRAME, big.shape[1] + 2 * FRAME, 3), dtype=np.uint8)
    framed[...] = _hex_rgb(theme.grid_frame_color).astype(np.uint8)
    framed[FRAME:-FRAME, FRAME:-FRAME] = big
    return Image.fromarray(framed, "RGB")


def contact_sheet(
    images: list[Image.Image], labels: list[str], columns: int = 4, palette: str = "classic"
) -> Image.Image:
    """Tiles with a label under each, on the theme's background."""
    theme = make_theme(palette)
    tile_w = max(im.width for im in images)
    tile_h = max(im.height for im in images)
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * (tile_w + GAP) + GAP, rows * (tile_h + 2 * GAP) + GAP), theme.background)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=16)
    for i, (im, label) in enumerate(zip(images, labels)):
        x = GAP + (i % columns) * (tile_w + GAP)
        y = GAP + (i // columns) * (tile_h + 2 * GAP)
        sheet.paste(im, (x, y))
        draw.text((x, y + tile_h + 4), label, fill=theme.neuron_color, font=font)
    return sheet


def write_grids(network: Network, layer: int, out: Path, palette: str = "classic") -> list[Path]:
    """Write ``layer<L>_neuron<KK>.png`` for every neuron of ``layer`` (1-based) and ``layer<L>_contact_sheet.png``.

    Returns the paths, the contact sheet last. All images are drawn before anything is written.
    """
    if out.exists() and not out.is_dir():
        raise NnvizError(f"--out {out}: exists and is not a directory")
    weights = network.weights[layer - 1]
    images = [weight_grid_image(row, palette) for row in weights]
    labels = [f"layer {layer}, neuron {k}" for k in range(len(images))]
    sheet = contact_sheet(images, labels, palette=palette)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"layer{layer}_neuron{k:02d}.png" for k in range(len(images))]
    paths.append(out / f"layer{layer}_contact_sheet.png")
    for path, image in zip(paths, [*images, sheet]):
        _save_atomic(image, path)
    return paths


def _save_atomic(image: Image.Image, path: Path) -> None:
    with atomic_write(path) as f:
        image.save(f, format="PNG")
