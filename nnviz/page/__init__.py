"""The draw-a-digit page: static files plus the export of a network's numbers to them.

``nnviz page --out DIR`` writes it (:func:`write_page`); ``nnviz serve`` serves it and adds
videos of the drawn digit. Talks to the core, never to manim.
"""

from __future__ import annotations

from .site import MARKER, write_page

__all__ = ["MARKER", "write_page"]
