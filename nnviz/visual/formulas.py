r"""The formulas of the lesson, typeset with MathTex and coloured by role.

A weighted sum ``σ(w₁a₁ + w₂a₂ + ⋯ + wₙaₙ + b)``, its matrix form ``a⁽¹⁾ = σ(W a⁽⁰⁾ + b)``
and the parameter tally ``784×16 + 16 + ⋯ = 13,002``. Colours come from the theme: the
activation function (σ) in ``theme.highlight``, weights (w, W) in ``theme.weight_symbol``,
biases (b) in ``theme.bias_symbol``.

Every formula is built from a list of TeX *parts*, one MathTex sub-mobject per part, and each
part is coloured by its role (``"weight"``, ``"bias"``, ...) — never by glyph index. The parts of
one role are reachable as ``formula.parts_of(role)``.

With ``show_numbers=True`` the formulas show the real numbers of a core :class:`Network` and the
:class:`Trace` of one input, formatted by :func:`tex_number`; nothing is typed in.

Example::

    import numpy as np
    from manim import Scene, Write, UP, DOWN
    from nnviz.core.network import Network
    from nnviz.visual.formulas import WeightedSum

    class Neuron(Scene):
        def construct(self):
            net = Network([784, 16, 16, 10], seed=1)
            trace = net.forward(np.full(784, 0.5))
            symbolic = WeightedSum(network=net, layer=1, neuron=3).shift(UP)
            numbers = WeightedSum(network=net, layer=1, neuron=3, trace=trace,
                                  show_numbers=True).shift(DOWN)
            self.play(Write(symbolic))
            self.play(Write(numbers))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    RIGHT,
    UP,
    Animation,
    Create,
    MathTex,
    MobjectMatrix,
    SurroundingRectangle,
    VMobject,
    VGroup,
    config,
)

from ..core.errors import NnvizError
from ..core.network import Network, Trace
from ..theme import Theme, get_theme

#: TeX of each activation function, keyed by the core's activation names.
FUNCTION_TEX: dict[str, str] = {"sigmoid": r"\sigma", "relu": r"\mathrm{ReLU}"}

#: The roles a formula part can have; :func:`role_color` maps each to a theme colour.
ROLES = ("function", "weight", "bias", "activation", "result", "operator")


def tex_number(x: float, decimals: int = 2, parenthesize_negative: bool = False) -> str:
    r"""``x`` rounded to ``decimals`` places, as TeX; a value that rounds to zero is never ``-0.00``.

    >>> tex_number(2.3149)
    '2.31'
    >>> tex_number(-0.004)
    '0.00'
    >>> tex_number(-1.2, parenthesize_negative=True)
    '(-1.20)'
    """
    text = f"{float(x):.{decimals}f}"
    if float(text) == 0.0:
        text = f"{0.0:.{decimals}f}"
    if parenthesize_negative and text.startswith("-"):
        return f"({text})"
    return text


def tex_count(n: int) -> str:
    r"""An integer with TeX thousands separators: ``13002`` -> ``13{,}002``.

    >>> tex_count(13002)
    '13{,}002'
    """
    return f"{int(n):,}".replace(",", "{,}")


def role_color(role: str | None, theme: Theme | None = None) -> str | None:
    """The theme colour of a formula part's role (None: keep the default white).

    >>> role_color("weight") == get_theme().weight_symbol
    True
    """
    t = get_theme(theme)
    return {
        "function": t.highlight,
        "weight": t.weight_symbol,
        "bias": t.bias_symbol,
    }.get(role or "")


def function_name(network: Network | None, layer: int) -> str:
    """The core's name of the activation function that layer ``layer`` (1..L) applies.

    The output layer of a core network is always a sigmoid; hidden layers use
    ``network.activation``. Without a network the lesson's sigmoid is meant.

    >>> net = Network([4, 3, 2], activation="relu")
    >>> function_name(net, 1), function_name(net, 2)
    ('relu', 'sigmoid')
    """
    if network is None or layer == len(network.sizes) - 1:
        return "sigmoid"
    return network.activation


def _check_layer(network: Network, layer: int) -> None:
    last = len(network.sizes) - 1
    if not 1 <= layer <= last:
        raise NnvizError(f"layer {layer}: a {network!r} has layers 1..{last} (0 is the input)")


def _check_trace(network: Network, trace: Trace, layer: int) -> tuple[np.ndarray, np.ndarray]:
    """a(l-1) and z(l) of a single-input trace, checked against the network's sizes."""
    if len(trace.activations) != len(network.sizes):
        raise NnvizError("the trace has a different number of layers than the network")
    a_prev = np.asarray(trace.activations[layer - 1])
    z = np.asarray(trace.weighted_sums[layer - 1])
    if a_prev.ndim != 1 or z.ndim != 1:
        raise NnvizError("show_numbers needs the trace of one input, not of a batch: net.forward(x) with x of shape (n,)")
    if a_prev.shape[0] != network.sizes[layer - 1] or z.shape[0] != network.sizes[layer]:
        raise NnvizError("the trace does not fit the network's layer sizes")
    return a_prev, z


def written_indices(size: int, max_shown: int) -> list[int]:
    """Which of ``size`` indices a formula writes out (not the diagram's choice of shown neurons): the first ``max_shown - 1`` and the last.

    All of them when ``size <= max_shown``.

    >>> written_indices(784, 3)
    [0, 1, 783]
    >>> written_indices(3, 4)
    [0, 1, 2]
    """
    if max_shown < 2:
        raise NnvizError(f"show at least 2 entries (the first and the last), not {max_shown}")
    if size <= max_shown:
        return list(range(size))
    return list(range(max_shown - 1)) + [size - 1]


def _with_gaps(indices: Sequence[int], size: int) -> list[int | None]:
    """``indices`` in order with ``None`` wherever indices of ``range(size)`` are left out."""
    out: list[int | None] = []
    previous = -1
    for i in sorted(set(int(i) for i in indices)):
        if not 0 <= i < size:
            raise NnvizError(f"index {i} is outside 0..{size - 1}")
        if i > previous + 1:
            out.append(None)
        out.append(i)
        previous = i
    if previous < size - 1:
        out.append(None)
    return out


class RoleMathTex(MathTex):
    r"""A MathTex built from ``(tex, role)`` parts, one sub-mobject per part, coloured by role.

    The formulas of this module are RoleMathTex; ``parts_of("weight")`` gives the weight parts.

    Example::

        class Demo(Scene):
            def construct(self):
                f = RoleMathTex([(r"\sigma", "function"), ("(", None), ("w", "weight"), (")", None)])
                self.add(f)
    """

    def __init__(
        self,
        parts: Sequence[tuple[str, str | None]],
        theme: Theme | str | None = None,
        font_size: float | None = None,
        **kwargs: object,
    ) -> None:
        self.theme = get_theme(theme)
        texts = [tex for tex, _ in parts]
        if any(not tex.strip() for tex in texts) or any(tex.lstrip().startswith("{{") for tex in texts):
            raise ValueError(f"every part needs visible TeX that does not start with '{{{{': {texts}")
        super().__init__(
            *texts, font_size=font_size if font_size is not None else self.theme.math_font_size, **kwargs
        )
        if len(self.submobjects) != len(parts) or any(
            sub.tex_string != tex for sub, tex in zip(self.submobjects, texts)
        ):
            raise RuntimeError(f"MathTex did not keep one sub-mobject per part: {texts}")
        self.roles: list[str | None] = [role for _, role in parts]
        for sub, role in zip(self.submobjects, self.roles):
            color = role_color(role, self.theme)
            if color is not None:
                sub.set_color(color)

    def parts_of(self, role: str) -> VGroup:
        """The sub-mobjects whose role is ``role``, in reading order."""
        return VGroup(*(sub for sub, r in zip(self.submobjects, self.roles) if r == role))

    def fit_to_frame(self, margin: float = 0.5) -> "RoleMathTex":
        """Scale down (never up) so the formula fits the frame width with ``margin`` each side."""
        limit = config.frame_width - 2 * margin
        if self.width > limit:
            self.scale_to_fit_width(limit)
        return self


class WeightedSum(RoleMathTex):
    r"""One neuron's weighted sum ``σ(w₁a₁ + w₂a₂ + ⋯ + wₙaₙ + b)``, symbolic or with real numbers.

    Without a network the formula is the generic one with ``n_terms`` written-out terms. With
    ``network`` (and ``layer`` 1..L, ``neuron`` k) the last index is the real fan-in (784), and the
    function symbol is the one that layer really applies (σ, or ReLU on hidden layers of a ReLU
    network). With ``trace`` and ``show_numbers=True`` the terms show the real weights
    ``network.weights[layer-1][neuron, j]`` and activations ``trace.activations[layer-1][j]``, the
    real bias, and ``= σ(z) = a`` with z and a read from the trace.

    ``terms`` chooses which inputs j (0-based, as in the core) are written out; ``"largest"``
    picks the ``n_terms`` largest contributions ``|w_j a_j|``. The rest are elided with ``⋯``.
    Symbolic indices are ``j + index_base``.

    Attributes: ``shown_terms`` [(j, w_j, a_j)], ``bias_value``, ``weighted_sum_value`` (z),
    ``activation_value`` (f(z)), and ``shown_text``: every number string on screen.

    Example::

        class WeightedSumScene(Scene):
            def construct(self):
                net = Network([784, 16, 16, 10], seed=1)
                trace = net.forward(np.full(784, 0.5))
                self.play(Write(WeightedSum(network=net, neuron=3, trace=trace, show_numbers=True)))
    """

    def __init__(
        self,
        n_terms: int = 2,
        network: Network | None = None,
        layer: int = 1,
        neuron: int = 0,
        trace: Trace | None = None,
        with_bias: bool = True,
        inside_sigma: bool = True,
        show_numbers: bool = False,
        terms: Sequence[int] | str | None = None,
        show_result: bool = True,
        index_base: int = 1,
        decimals: int | None = None,
        function: str | None = None,
        theme: Theme | str | None = None,
        font_size: float | None = None,
        fit: bool = True,
        **kwargs: object,
    ) -> None:
        t = get_theme(theme)
        self.decimals = t.decimals if decimals is None else int(decimals)
        self.layer, self.neuron = layer, neuron
        self.shown_terms: list[tuple[int, float, float]] = []
        self.bias_value: float | None = None
        self.weighted_sum_value: float | None = None
        self.activation_value: float | None = None
        self.shown_text: dict[str, object] = {}
        if n_terms < 1:
            raise NnvizError(f"n_terms must be at least 1, not {n_terms}")

        fan_in: int | None = None
        if network is not None:
            _check_layer(network, layer)
            fan_in = network.sizes[layer - 1]
            if not 0 <= neuron < network.sizes[layer]:
                raise NnvizError(f"neuron {neuron}: layer {layer} has neurons 0..{network.sizes[layer] - 1}")
        self.function = function or function_name(network, layer)
        if self.function not in FUNCTION_TEX:
            raise NnvizError(f"unknown function {self.function!r}; use one of: {', '.join(FUNCTION_TEX)}")
        f_tex = FUNCTION_TEX[self.function]

        if show_numbers:
            if network is None or trace is None:
                raise NnvizError("show_numbers=True needs the network and the trace whose numbers are shown")
            parts = self._number_parts(network, trace, n_terms, terms, with_bias, inside_sigma, show_result, f_tex)
        else:
            parts = self._symbol_parts(fan_in, n_terms, terms, with_bias, index_base)
            if inside_sigma:
                parts = [(f_tex, "function"), ("(", None), *parts, (")", None)]
        super().__init__(parts, theme=t, font_size=font_size, **kwargs)
        if fit:
            self.fit_to_frame()

    # -- symbolic ---------------------------------------------------------------------------
    @staticmethod
    def _symbol_parts(
        fan_in: int | None, n_terms: int, terms: Sequence[int] | str | None, with_bias: bool, base: int
    ) -> list[tuple[str, str | None]]:
        if fan_in is None:
            # generic: w_1 a_1 + ... + w_{n_terms} a_{n_terms} + \cdots + w_n a_n
            if terms is not None:
                raise NnvizError("terms= chooses real inputs: pass the network too")
            slots: list[int | str | None] = list(range(n_terms)) + [None, "n"]
        else:
            if terms is None:
                chosen = written_indices(fan_in, n_terms + 1)
            elif isinstance(terms, str):
                raise NnvizError(f"terms={terms!r} needs show_numbers=True and a trace")
            else:
                chosen = list(terms)
            slots = list(_with_gaps(chosen, fan_in))
        parts: list[tuple[str, str | None]] = []
        for slot in slots:
            if parts:
                parts.append(("+", None))
            if slot is None:
                parts.append((r"\cdots", None))
                continue
            index = slot if isinstance(slot, str) else str(slot + base)
            parts += [(f"w_{{{index}}}", "weight"), (f"a_{{{index}}}", "activation")]
        if with_bias:
            parts += [("+", None), ("b", "bias")]
        return parts

    # -- numbers ----------------------------------------------------------------------------
    def _number_parts(
        self,
        network: Network,
        trace: Trace,
        n_terms: int,
        terms: Sequence[int] | str | None,
        with_bias: bool,
        inside_sigma: bool,
        show_result: bool,
        f_tex: str,
    ) -> list[tuple[str, str | None]]:
        layer, k, d = self.layer, self.neuron, self.decimals
        a_prev, z_all = _check_trace(network, trace, layer)
        w = network.weights[layer - 1][k]
        b = float(network.biases[layer - 1][k])
        z = float(z_all[k])
        a = float(np.asarray(trace.activations[layer])[k])
        # The trace must be this network's: recompute z from the parameters shown.
        if not np.isclose(float(w @ a_prev + b), z, rtol=1e-9, atol=1e-9):
            raise NnvizError("the trace was not computed by this network (its weighted sum differs)")
        fan_in = w.shape[0]
        if terms is None:
            chosen = written_indices(fan_in, n_terms + 1)
        elif isinstance(terms, str):
            if terms != "largest":
                raise NnvizError(f"terms={terms!r}: use a list of input indices or 'largest'")
            chosen = sorted(np.argsort(-np.abs(w * a_prev), kind="stable")[:n_terms].tolist())
        else:
            chosen = list(terms)
        parts: list[tuple[str, str | None]] = []
        for slot in _with_gaps(chosen, fan_in):
            if parts:
                parts.append(("+", None))
            if slot is None:
                parts.append((r"\cdots", None))
                continue
            wj, aj = float(w[slot]), float(a_prev[slot])
            self.shown_terms.append((slot, wj, aj))
            parts += [
                (tex_number(wj, d, parenthesize_negative=True), "weight"),
                (r"\cdot", None),
                (tex_number(aj, d, parenthesize_negative=True), "activation"),
            ]
        self.bias_value = b
        if with_bias:
            parts += [("+", None), (tex_number(b, d, parenthesize_negative=True), "bias")]
        self.weighted_sum_value, self.activation_value = z, a
        if inside_sigma:
            parts = [(f_tex, "function"), ("(", None), *parts, (")", None)]
            if show_result:
                parts += [
                    ("=", None),
                    (f_tex, "function"),
                    ("(", None),
                    (tex_number(z, d), "result"),
                    (")", None),
                    ("=", None),
                    (tex_number(a, d), "result"),
                ]
        elif show_result and with_bias:
            # Without the bias the sum shown is not z: only state z when it is the sum written.
            parts += [("=", None), (tex_number(z, d), "result")]
        self.shown_text = {
            "weights": [tex_number(wj, d) for _, wj, _ in self.shown_terms],
            "activations": [tex_number(aj, d) for _, _, aj in self.shown_terms],
            "bias": tex_number(b, d),
            "weighted_sum": tex_number(z, d),
            "activation": tex_number(a, d),
        }
        return parts


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
        **kwargs: object,
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


def tex_pieces(texts: Sequence[str], font_size: float) -> list[VMobject]:
    r"""One mobject per TeX string, typeset in a single LaTeX run (much faster than one each).

    Each piece has its ``tex_string`` and the same glyphs and size as ``MathTex(text)``: the
    pieces are separated by an opening atom, so a leading minus stays a unary minus.

    Example::

        class Pieces(Scene):
            def construct(self):
                self.add(VGroup(*tex_pieces(["w_{0,0}", "-0.25", r"\cdots"], 32)).arrange(RIGHT))
    """
    unique = list(dict.fromkeys(texts))
    batch = MathTex(*unique, arg_separator=r"\quad\mathopen{}", font_size=font_size)
    by_text = dict(zip(unique, batch.submobjects))
    return [by_text[text].copy() for text in texts]


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
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        t = self.theme = get_theme(theme)
        _check_layer(network, layer)
        self.network, self.layer = network, layer
        d = t.decimals if decimals is None else int(decimals)
        fs = t.matrix_font_size if font_size is None else font_size
        n_out, n_in = network.weights[layer - 1].shape
        self.rows = _with_gaps(written_indices(n_out, max_rows) if rows is None else rows, n_out)
        self.cols = _with_gaps(written_indices(n_in, max_cols) if cols is None else cols, n_in)
        self.function_name = function_name(network, layer)
        f_tex = FUNCTION_TEX[self.function_name]
        W = network.weights[layer - 1]
        bias = network.biases[layer - 1]

        if show_numbers:
            if trace is None:
                raise NnvizError("show_numbers=True needs the trace whose activations are shown")
            a_prev, z = _check_trace(network, trace, layer)
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
            raise ValueError("run_time must be positive")
        return Create(self.row_boxes(k), run_time=t)

    def row_entries(self, k: int) -> VGroup:
        """The entries of row k of W (as drawn, dots included)."""
        return self.weights.get_rows()[self._row_position(k)]


class ParameterTally(RoleMathTex):
    r"""The parameter count as a sum: ``784\times16 + 16 + 16\times16 + 16 + 16\times10 + 10 = 13{,}002``.

    Each ``n_in × n_out`` weight term (coloured as weights) and ``n_out`` bias term (coloured as
    biases) is read from ``network.sizes``; the total is ``network.parameter_count``, and the
    two must agree. ``terms`` lists ``(kind, count)`` pairs, ``total`` the total.

    Example::

        class Tally(Scene):
            def construct(self):
                self.play(Write(ParameterTally(Network([784, 16, 16, 10]))))
    """

    def __init__(
        self,
        network: Network,
        theme: Theme | str | None = None,
        font_size: float | None = None,
        fit: bool = True,
        **kwargs: object,
    ) -> None:
        sizes = list(network.sizes)
        parts: list[tuple[str, str | None]] = []
        self.terms: list[tuple[str, int]] = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            if parts:
                parts.append(("+", None))
            parts += [(rf"{n_in}\times{n_out}", "weight"), ("+", None), (f"{n_out}", "bias")]
            self.terms += [("weights", n_in * n_out), ("biases", n_out)]
        self.total = int(network.parameter_count)
        counted = sum(count for _, count in self.terms)
        if counted != self.total:
            raise AssertionError(f"tally of the sizes {sizes} is {counted}, the network has {self.total}")
        parts += [("=", None), (tex_count(self.total), "result")]
        super().__init__(parts, theme=theme, font_size=font_size, **kwargs)
        if fit:
            self.fit_to_frame()


__all__ = [
    "FUNCTION_TEX",
    "LayerEquation",
    "MatrixForm",
    "ParameterTally",
    "RoleMathTex",
    "WeightedSum",
    "function_name",
    "role_color",
    "written_indices",
    "tex_count",
    "tex_pieces",
    "tex_number",
]
