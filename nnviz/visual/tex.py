r"""The TeX building blocks of the lesson's formulas, coloured by role.

Every formula of :mod:`~nnviz.visual.weighted_sum`, :mod:`~nnviz.visual.matrix_form` and
:mod:`~nnviz.visual.tally` is built from a list of TeX *parts*, one MathTex sub-mobject per
part, and each part is coloured by its role (``"weight"``, ``"bias"``, ...) — never by glyph
index: :class:`RoleMathTex` does that, with the colours of :func:`role_color` (the activation
function in ``theme.highlight``, weights in ``theme.weight_symbol``, biases in
``theme.bias_symbol``). Numbers are written by :func:`tex_number` and :func:`tex_count`;
:func:`written_indices` picks which of many indices a formula writes out, :func:`function_name`
which activation function a layer applies, and :func:`tex_pieces` typesets many small pieces in
one LaTeX run.

Example::

    from manim import Scene, Write
    from nnviz.visual import RoleMathTex, tex_number

    class Weighted(Scene):
        def construct(self):
            formula = RoleMathTex([(r"\sigma", "function"), ("(", None), (tex_number(0.731), "weight"),
                                   (r"\cdot a", None), (")", None)])
            self.play(Write(formula))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import MathTex, VGroup, VMobject, config

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


def check_layer(network: Network, layer: int) -> None:
    """Raise a clear error unless ``layer`` is one that computes (1..L) in ``network``.

    >>> check_layer(Network([4, 3, 2]), 2)
    """
    last = len(network.sizes) - 1
    if not 1 <= layer <= last:
        raise NnvizError(f"layer {layer}: a {network!r} has layers 1..{last} (0 is the input)")


def check_trace(network: Network, trace: Trace, layer: int) -> tuple[np.ndarray, np.ndarray]:
    """a(l-1) and z(l) of a single-input trace, checked against the network's sizes.

    >>> net = Network([4, 3, 2], seed=0)
    >>> [v.shape for v in check_trace(net, net.forward(np.zeros(4)), 1)]
    [(4,), (3,)]
    """
    if len(trace.activations) != len(network.sizes):
        raise NnvizError("the trace has a different number of layers than the network")
    a_prev = np.asarray(trace.activations[layer - 1])
    z = np.asarray(trace.weighted_sums[layer - 1])
    if a_prev.ndim != 1 or z.ndim != 1:
        raise NnvizError(
            "show_numbers needs the trace of one input, not of a batch: net.forward(x) with x of shape (n,)"
        )
    if a_prev.shape[0] != network.sizes[layer - 1] or z.shape[0] != network.sizes[layer]:
        raise NnvizError("the trace does not fit the network's layer sizes")
    return a_prev, z


def written_indices(size: int, max_shown: int) -> list[int]:
    """Which of ``size`` indices a formula writes out: the first ``max_shown - 1`` and the last.

    All of them when ``size <= max_shown``. (Not the diagram's choice of shown neurons, which is
    :func:`~nnviz.visual.diagram_parts.shown_indices`.)

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


def with_gaps(indices: Sequence[int], size: int) -> list[int | None]:
    """``indices`` in order with ``None`` wherever indices of ``range(size)`` are left out.

    >>> with_gaps([0, 1, 783], 784)
    [0, 1, None, 783]
    """
    out: list[int | None] = []
    previous = -1
    for i in sorted({int(i) for i in indices}):
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
        **kwargs: Any,
    ) -> None:
        self.theme = get_theme(theme)
        texts = [tex for tex, _ in parts]
        if any(not tex.strip() for tex in texts) or any(tex.lstrip().startswith("{{") for tex in texts):
            raise NnvizError(
                f"every part needs visible TeX that does not start with '{{{{': {texts}; merge an empty or "
                "space-only part into its neighbour"
            )
        super().__init__(*texts, font_size=font_size if font_size is not None else self.theme.math_font_size, **kwargs)
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

    def fit_to_frame(self, margin: float = 0.5) -> RoleMathTex:
        """Scale down (never up) so the formula fits the frame width with ``margin`` each side."""
        limit = config.frame_width - 2 * margin
        if self.width > limit:
            self.scale_to_fit_width(limit)
        return self


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


__all__ = [
    "FUNCTION_TEX",
    "ROLES",
    "RoleMathTex",
    "check_layer",
    "check_trace",
    "function_name",
    "role_color",
    "tex_count",
    "tex_number",
    "tex_pieces",
    "with_gaps",
    "written_indices",
]
