r"""A layer in matrix form: the compact ``a⁽ˡ⁾ = σ(W a⁽ˡ⁻¹⁾ + b)`` and the matrices written out.

:class:`LayerEquation` is the one-line equation; :class:`MatrixForm` writes W, a and b as
matrices with consistent indices (row k of W holds the weights into neuron k), symbolic or with
the real numbers of a network and a trace.

Example::

    from manim import Scene, Write
    from nnviz.core.network import Network
    from nnviz.visual import MatrixForm

    class Matrices(Scene):
        def construct(self):
            form = MatrixForm(Network([784, 16, 16, 10], seed=1), layer=1)
            self.play(Write(form))
            self.play(form.highlight_row(0))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from manim import RIGHT, UP, Animation, Create, MobjectMatrix, SurroundingRectangle, VGroup, VMobject, config

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .tex import (
    FUNCTION_TEX,
    RoleMathTex,
    check_layer,
    check_trace,
    function_name,
    tex_number,
    tex_pieces,
    with_gaps,
    written_indices,
)

if TYPE_CHECKING:
    from ..core.network import Network, Trace


class LayerEquation(RoleMathTex):
    r"""The compact matrix form of one layer: ``a^{(l)} = σ(W a^{(l-1)} + b)``.

    Example::

        class Equation(Scene):
            def construct(self):
                self.play(Write(LayerEquation(layer=1)))
    """

    def __init__(
        self,
        layer: int = 1,
        function: str = "sigmoid",
        theme: Theme | str | None = None,
        font_size: float | None = None,
        **kwargs: Any,
    ) -> None:
        if function not in FUNCTION_TEX:
            raise NnvizError(f"unknown function {function!r}; use one of: {', '.join(FUNCTION_TEX)}")
        if layer < 1:
            raise NnvizError(f"layer {layer}: layers that compute are 1..L")
        parts: list[tuple[str, str | None]] = [
            (f"a^{{({layer})}}", "activation"),
            ("=", None),
            (FUNCTION_TEX[function], "function"),
            ("(", None),
            ("W", "weight"),
            (f"a^{{({layer - 1})}}", "activation"),
            ("+", None),
            ("b", "bias"),
            (")", None),
        ]
        super().__init__(parts, theme=theme, font_size=font_size, **kwargs)


def _tall_paren_tex(side: str, height: float) -> str:
    """TeX of a ``(`` or ``)`` drawn by \\left/\\right about ``height`` tall (scale it to fit)."""
    rows = max(1, int(height / 0.6) + 1)
    array = r"\begin{array}{c}" + r"\quad \\" * rows + r"\end{array}"
    return rf"\left({array}\right." if side == "(" else rf"\left.{array}\right)"


class MatrixForm(VGroup):
    r"""One layer as matrices: ``[a^{(l)}] = σ([W] [a^{(l-1)}] + [b])`` with consistent indices.

    Row k of W holds the weights into neuron k, so its entries are ``w_{k,j}``; the bias of
    neuron k is ``b_k`` and its activation ``a^{(l)}_k`` stands on the same row. Large layers are
    elided: ``max_rows``/``max_cols`` entries are written out (the first ones and the last), or
    exactly the core indices given as ``rows``/``cols``; ``⋯ ⋮ ⋱`` stand for the rest. Indices
    shown are ``k + index_base`` (0 by default: neuron k of the core is row k).

    With ``trace`` and ``show_numbers=True`` every entry is the real number: the weights and
    biases of ``network``, the activations a^{(l-1)} of the trace and, on the left, a^{(l)} from
    the trace (checked to equal σ(W a + b) for the shown rows).

    ``show_equation`` puts the compact :class:`LayerEquation` above. Parts: ``equation``,
    ``lhs``, ``equals``, ``function``, ``left_paren``, ``weights`` (a manim :class:`MobjectMatrix`),
    ``inputs``, ``plus``, ``biases``, ``right_paren``.

    Example::

        class Matrices(Scene):
            def construct(self):
                net = Network([784, 16, 16, 10], seed=1)
                form = MatrixForm(net, layer=1)
                self.play(Write(form))
                self.play(form.highlight_row(0))
    """

    def __init__(
        self,
        network: Network,
        layer: int = 1,
        trace: Trace | None = None,
        show_numbers: bool = False,
        max_rows: int = 4,
        max_cols: int = 3,
        rows: Sequence[int] | None = None,
        cols: Sequence[int] | None = None,
        show_equation: bool = True,
        index_base: int = 0,
        decimals: int | None = None,
        theme: Theme | str | None = None,
        font_size: float | None = None,
        fit: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = self.theme = get_theme(theme)
        check_layer(network, layer)
        self.network, self.layer = network, layer
        d = t.decimals if decimals is None else int(decimals)
        fs = t.matrix_font_size if font_size is None else font_size
        n_out, n_in = network.weights[layer - 1].shape
        self.rows = with_gaps(written_indices(n_out, max_rows) if rows is None else rows, n_out)
        self.cols = with_gaps(written_indices(n_in, max_cols) if cols is None else cols, n_in)
        self.function_name = function_name(network, layer)
        f_tex = FUNCTION_TEX[self.function_name]
        W = network.weights[layer - 1]
        bias = network.biases[layer - 1]

        if show_numbers:
            if trace is None:
                raise NnvizError("show_numbers=True needs the trace whose activations are shown")
            a_prev, z = check_trace(network, trace, layer)
            a_out = np.asarray(trace.activations[layer])
            recomputed = W @ a_prev + bias
            if not np.allclose(recomputed, z, rtol=1e-9, atol=1e-9):
                raise NnvizError("the trace was not computed by this network (its weighted sums differ)")

            def w_entry(k: int, j: int) -> str:
                return tex_number(W[k, j], d)

            def in_entry(j: int) -> str:
                return tex_number(a_prev[j], d)

            def b_entry(k: int) -> str:
                return tex_number(bias[k], d)

            def out_entry(k: int) -> str:
                return tex_number(a_out[k], d)
        else:
            base = index_base

            def w_entry(k: int, j: int) -> str:
                return f"w_{{{k + base},{j + base}}}"

            def in_entry(j: int) -> str:
                return f"a^{{({layer - 1})}}_{{{j + base}}}"

            def b_entry(k: int) -> str:
                return f"b_{{{k + base}}}"

            def out_entry(k: int) -> str:
                return f"a^{{({layer})}}_{{{k + base}}}"

        def column(entries: list[str]) -> list[list[str]]:
            return [[e] for e in entries]

        w_rows: list[list[str]] = []
        for k in self.rows:
            if k is None:
                w_rows.append([r"\ddots" if j is None else r"\vdots" for j in self.cols])
            else:
                w_rows.append([r"\cdots" if j is None else w_entry(k, j) for j in self.cols])
        out_col = [r"\vdots" if k is None else out_entry(k) for k in self.rows]
        in_col = [r"\vdots" if j is None else in_entry(j) for j in self.cols]
        b_col = [r"\vdots" if k is None else b_entry(k) for k in self.rows]

        # All entries in one LaTeX run, then laid out as four matrices.
        grids = [w_rows, column(out_col), column(in_col), column(b_col)]
        flat = [entry for grid in grids for row in grid for entry in row]
        pieces = iter(tex_pieces(flat, fs))
        self.weights, self.lhs, self.inputs, self.biases = (
            self._matrix([[next(pieces) for _ in row] for row in grid]) for grid in grids
        )
        self.weights.get_entries().set_color(t.weight_symbol)
        self.biases.get_entries().set_color(t.bias_symbol)

        rows_height = max(self.weights.height, self.inputs.height, self.biases.height) + 0.2
        self.equals, self.plus, self.function, self.left_paren, self.right_paren = tex_pieces(
            ["=", "+", f_tex, _tall_paren_tex("(", rows_height), _tall_paren_tex(")", rows_height)],
            t.math_font_size,
        )
        self.function.set_color(t.highlight)
        for paren in (self.left_paren, self.right_paren):
            paren.stretch_to_fit_height(rows_height)
        self.expanded = VGroup(
            self.lhs,
            self.equals,
            self.function,
            self.left_paren,
            self.weights,
            self.inputs,
            self.plus,
            self.biases,
            self.right_paren,
        )
        gaps = [0.25, 0.25, 0.08, 0.1, 0.12, 0.2, 0.2, 0.1]
        for (left, right), gap in zip(zip(self.expanded[:-1], self.expanded[1:]), gaps):
            right.next_to(left, RIGHT, buff=gap)
        self.add(self.expanded)
        self.equation: LayerEquation | None = None
        if show_equation:
            self.equation = LayerEquation(layer, self.function_name, theme=t)
            self.equation.next_to(self.expanded, UP, buff=0.5)
            self.add(self.equation)
        self.center()
        if fit:
            limit_w, limit_h = config.frame_width - 1.0, config.frame_height - 0.8
            factor = min(1.0, limit_w / self.width, limit_h / self.height)
            if factor < 1.0:
                self.scale(factor)

    @staticmethod
    def _matrix(entries: list[list[VMobject]]) -> MobjectMatrix:
        widest = max(entry.width for row in entries for entry in row)
        tallest = max(entry.height for row in entries for entry in row)
        matrix = MobjectMatrix(
            entries,
            h_buff=widest + 0.4,
            v_buff=max(0.62, tallest + 0.25),
            element_alignment_corner=RIGHT,
            bracket_h_buff=0.12,
            bracket_v_buff=0.12,
        )
        # Dots sit in the middle of their cell, numbers stay right-aligned.
        for row in matrix.mob_matrix:
            for entry, column in zip(row, matrix.get_columns()):
                if entry.tex_string in (r"\cdots", r"\vdots", r"\ddots"):
                    entry.set_x(column.get_center()[0])
        return matrix

    def _row_position(self, k: int) -> int:
        if k not in self.rows:
            shown = [r for r in self.rows if r is not None]
            raise NnvizError(f"row {k} is not written out; the rows shown are {shown}")
        return self.rows.index(k)

    def row_boxes(self, k: int) -> VGroup:
        """Yellow boxes around row k of W, b_k and a^{(l)}_k: everything neuron k computes with."""
        i = self._row_position(k)
        color = self.theme.highlight
        return VGroup(
            SurroundingRectangle(self.lhs.get_rows()[i], color=color, buff=0.08),
            SurroundingRectangle(self.weights.get_rows()[i], color=color, buff=0.08),
            SurroundingRectangle(self.biases.get_rows()[i], color=color, buff=0.08),
        )

    def highlight_row(self, k: int, run_time: float | None = None) -> Animation:
        """Draw :meth:`row_boxes` (k): the animation's ``mobject`` is the boxes, to fade later.

        Example::

            boxes = form.highlight_row(0)
            self.play(boxes)
            self.play(FadeOut(boxes.mobject))
        """
        t = run_time if run_time is not None else self.theme.write_time
        if t <= 0:
            raise NnvizError(f"run_time is {t}: pass a positive number of seconds, or None for theme.write_time")
        return Create(self.row_boxes(k), run_time=t)

    def row_entries(self, k: int) -> VGroup:
        """The entries of row k of W (as drawn, dots included)."""
        return cast(VGroup, self.weights.get_rows()[self._row_position(k)])  # get_rows: a VGroup of row VGroups


__all__ = ["LayerEquation", "MatrixForm"]
