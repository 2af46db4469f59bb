r"""One neuron's weighted sum ``σ(w₁a₁ + w₂a₂ + ⋯ + wₙaₙ + b)``, symbolic or with real numbers.

With ``show_numbers=True`` the formula shows the real numbers of a core :class:`Network` and
the :class:`Trace` of one input, formatted by :func:`~nnviz.visual.tex.tex_number`; nothing is
typed in.

Example::

    import numpy as np
    from manim import Scene, Write, UP, DOWN
    from nnviz.core.network import Network
    from nnviz.visual import WeightedSum

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
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .tex import (
    FUNCTION_TEX,
    RoleMathTex,
    check_layer,
    check_trace,
    function_name,
    tex_number,
    with_gaps,
    written_indices,
)

if TYPE_CHECKING:
    from ..core.network import Network, Trace


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
        **kwargs: Any,
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
            check_layer(network, layer)
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
            slots = list(with_gaps(chosen, fan_in))
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
        a_prev, z_all = check_trace(network, trace, layer)
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
        for slot in with_gaps(chosen, fan_in):
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


__all__ = ["WeightedSum"]
