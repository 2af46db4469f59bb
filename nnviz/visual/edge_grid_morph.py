"""A neuron's incoming edges rearrange into its weight grid, and back.

:func:`edges_to_grid` turns each drawn edge into the pixel of its source in the 28x28 grid of
the neuron's weights (the hidden inputs' pixels fade in); :func:`grid_to_edges` flies the pixels
back onto the edges. The diagram itself is unchanged.

Example::

    from manim import Scene
    from nnviz.core.weights import load_network_file
    from nnviz.visual import NetworkDiagram, edges_to_grid, grid_to_edges

    class LooksFor(Scene):
        def construct(self):
            diagram = NetworkDiagram(load_network_file("assets/network.npz"))
            self.add(diagram)
            there = edges_to_grid(diagram, 1, 3)
            self.play(there)
            self.play(grid_to_edges(diagram, 1, 3, there.grid))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
from manim import Transform

from ..core.errors import NnvizError
from .mobject_utils import fill_rgba, polyline_points
from .pixels import PixelGrid

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .diagram import NetworkDiagram
    from .diagram_parts import Edge


def _line_shape(start: np.ndarray, end: np.ndarray, n_points: int) -> np.ndarray:
    """A closed degenerate path along start->end with ``n_points`` points (a square's count)."""
    corners = np.array([start, end, end, start, start])
    pts = polyline_points(corners)
    if len(pts) != n_points:
        idx = np.linspace(0, len(pts) - 1, n_points)
        pts = np.array([pts[int(round(i))] for i in idx])
    return pts


def _weight_grid_for(diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid | None) -> PixelGrid:
    if diagram.network is None:
        raise NnvizError(
            "a diagram built from layer sizes has no weights to show as a grid: build it from a Network, "
            "NetworkDiagram(net)"
        )
    if not 1 <= layer < diagram.num_layers:
        raise NnvizError(f"layer {layer} has no incoming weights; use 1..{diagram.num_layers - 1}")
    w = diagram.network.weights[layer - 1][int(k)]
    if grid is None:  # in the gap between the two layers, on an opaque backing
        grid = PixelGrid.from_weights(w, theme=diagram.theme, background=True)
        left = diagram.layers[layer - 1].get_right()[0]
        right = diagram.layers[layer].get_left()[0]
        grid.scale_to_fit_height(max(0.5, min(3.0, right - left - 0.3)))
        grid.move_to(np.array([(left + right) / 2, diagram.layers[layer].get_center()[1], 0.0]))
    if grid.values.size != w.size or not grid.individual:
        raise NnvizError(
            f"the grid must hold the {w.size} weights of neuron {k} one pixel each: pass "
            f"PixelGrid.from_weights(net.weights[{layer - 1}][{k}]) (individual=True), or no grid"
        )
    return grid


def edges_to_grid(
    diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid | None = None, **kwargs: Any
) -> Transform:
    """Neuron k's incoming edges rearrange into its weight grid (28x28 for a first-layer neuron).

    Each drawn edge becomes the pixel of its source (its colour is its weight's sign either way);
    the pixels of edges not drawn (hidden inputs) fade in. The grid, by default
    ``PixelGrid.from_weights(W[layer-1][k])`` placed between the two layers, is the animation's
    ``grid`` attribute; hand it to :func:`grid_to_edges` to go back. The diagram is unchanged.

    Example::

        class LooksFor(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                there = edges_to_grid(diagram, 1, 3)
                self.play(there)
                self.play(grid_to_edges(diagram, 1, 3, there.grid))
    """
    grid = _weight_grid_for(diagram, layer, k, grid)
    final = grid.copy()
    _set_edge_shapes(diagram, layer, k, grid)
    kwargs.setdefault("run_time", diagram.theme.move_time)
    anim = Transform(grid, final, **kwargs)
    anim.grid = grid  # type: ignore[attr-defined]
    return anim


def _set_edge_shapes(diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid) -> None:
    """Make ``grid`` look like neuron k's incoming edges: drawn edges as lines, the rest invisible."""
    edges = {e.source: e for e in cast("Iterable[Edge]", diagram.incoming_edges(layer, k))}  # a VGroup of Edges
    for idx, pixel in enumerate(grid.pixels):
        e = edges.get(idx)
        if e is None:
            pixel.fill_rgbas = fill_rgba(pixel, 0.0)
            continue
        pixel.points = _line_shape(e.points[0], e.points[-1], len(pixel.points))
        pixel.fill_rgbas = fill_rgba(pixel, 0.0)
        pixel.stroke_rgbas = e.stroke_rgbas.copy()
        pixel.stroke_width = e.get_stroke_width()
    if grid.frame is not None:
        grid.frame.stroke_rgbas = np.array([[*grid.frame.stroke_rgbas[0, :3], 0.0]])
    if grid.background is not None:
        grid.background.fill_rgbas = fill_rgba(grid.background, 0.0)


def grid_to_edges(diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid, **kwargs: Any) -> Transform:
    """The reverse of :func:`edges_to_grid`: the grid's pixels fly back onto neuron k's edges.

    The grid is removed from the scene at the end; the diagram's edges are where they were.

    Example::

        class Back(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                there = edges_to_grid(diagram, 1, 3)
                self.play(there)
                self.play(grid_to_edges(diagram, 1, 3, there.grid))
    """
    grid = _weight_grid_for(diagram, layer, k, grid)
    target = grid.copy()
    _set_edge_shapes(diagram, layer, k, target)
    kwargs.setdefault("run_time", diagram.theme.move_time)
    return Transform(grid, target, remover=True, **kwargs)


__all__ = ["edges_to_grid", "grid_to_edges"]
