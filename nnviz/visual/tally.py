r"""The parameter count of a network as a sum: ``784×16 + 16 + 16×16 + 16 + 16×10 + 10 = 13,002``.

Example::

    from manim import Scene, Write
    from nnviz.core.network import Network
    from nnviz.visual import ParameterTally

    class Tally(Scene):
        def construct(self):
            self.play(Write(ParameterTally(Network([784, 16, 16, 10]))))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..theme import Theme
from .tex import RoleMathTex, tex_count

if TYPE_CHECKING:
    from ..core.network import Network


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
        **kwargs: Any,
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


__all__ = ["ParameterTally"]
