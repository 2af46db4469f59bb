"""Each formula compiled once per machine: a store of TeX's SVGs that every manim process shares.

manim compiles a formula (latex, then dvisvgm: about a quarter of a second) into its
``tex_dir`` and finds it again only there. ``nnviz render`` gives each scene a ``tex_dir`` of its
own, since manim cleans its ``tex_dir`` after each formula and two processes sharing one break
each other's compiles (:mod:`nnviz.lesson.media_folder`); so every scene compiled the lesson's
common formulas again, and so did every render into another media folder.

:func:`share_compiled_formulas` makes manim look in a store first,
``$XDG_CACHE_HOME/nnviz/formulas`` (``~/.cache/nnviz/formulas``): a formula found there is copied
into the ``tex_dir`` instead of compiled. A formula compiled is put into the store under a name
made from its whole TeX source and the compiler, written to a temporary file and then renamed,
so that another process finds either nothing or the whole SVG. manim itself still compiles in
the process's own ``tex_dir``, so its cleaning stays harmless. The SVG is the one TeX makes, so
the formula's points and every frame stay the same. The store is a cache: delete it at will;
where it cannot be read or written, manim compiles as before.

Every :class:`~nnviz.visual.beats.BeatScene` (so every lesson scene) installs it in ``setup``;
a plain manim scene can call it there too.

    >>> share_compiled_formulas()  # calling it again changes nothing
    True
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.atomic import atomic_write
from ..core.paths import user_cache_dir
from .patching import patch_once

__all__ = ["formula_store", "share_compiled_formulas"]

_PATCHED = "_nnviz_shares_formulas"
#: What a whole SVG from dvisvgm ends with; anything else in the store is not used.
_SVG_END = b"</svg>"


def formula_store() -> Path:
    """The folder of the shared formula store: ``$XDG_CACHE_HOME/nnviz/formulas``, else ``~/.cache/...``.

    Raises ``RuntimeError`` when neither is set and the home folder cannot be found.

    >>> formula_store().parts[-2:]
    ('nnviz', 'formulas')
    """
    return user_cache_dir() / "formulas"


def _store_name(tex_source: str, compiler: object, output_format: str) -> str:
    """The stored SVG's name: the whole TeX file (preamble and formula) and how it is compiled."""
    key = "\0".join((tex_source, repr(compiler), output_format))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".svg"


def _whole(data: bytes) -> bool:
    return data.rstrip().endswith(_SVG_END)


def _write(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` so that a reader sees either no file or all of it."""
    with atomic_write(target) as f:
        f.write(data)


def _fetch(stored: Path, svg_file: Path) -> bool:
    """Copy a whole stored SVG to ``svg_file``; False when the store has none (or it is unreadable)."""
    try:
        data = stored.read_bytes()
    except OSError:
        return False
    if not _whole(data):
        return False
    try:
        _write(data, svg_file)
    except OSError:
        return False
    return True


def _publish(svg_file: Path, stored: Path) -> None:
    """Put a freshly compiled SVG into the store; a store that cannot be written is skipped."""
    try:
        data = svg_file.read_bytes()
        if _whole(data):
            stored.parent.mkdir(parents=True, exist_ok=True)
            _write(data, stored)
    except OSError:
        pass  # a cache only: the next process compiles the formula itself


def _wrap(original: Any) -> Any:
    from manim import config
    from manim.utils.tex_file_writing import generate_tex_file

    def tex_to_svg_file(expression: str, environment: str | None = None, tex_template: Any = None) -> Path:
        template = tex_template if tex_template is not None else config["tex_template"]
        tex_file = generate_tex_file(expression, environment, template)
        svg_file = tex_file.with_suffix(".svg")
        if svg_file.exists():  # in this tex_dir already: manim's own cache
            return svg_file
        try:
            store = formula_store()
        except RuntimeError:  # no home folder to keep a store in: manim as it is
            return Path(original(expression, environment, tex_template))
        source = tex_file.read_text(encoding="utf-8")
        stored = store / _store_name(source, template.tex_compiler, template.output_format)
        if _fetch(stored, svg_file):
            return svg_file
        result: Path = original(expression, environment, tex_template)
        _publish(result, stored)
        return result

    return tex_to_svg_file


def share_compiled_formulas() -> bool:
    """Make manim take compiled formulas from the :func:`formula_store` and put new ones there.

    Returns False where manim differs (it then compiles as before).
    """
    try:
        from manim.mobject.text import tex_mobject
        from manim.utils import tex_file_writing
    except ImportError:
        return False
    if not hasattr(tex_file_writing, "generate_tex_file"):
        return False
    # MathTex and Tex call the name tex_mobject imported; other code the module's own.
    installed = [
        patch_once(m, _PATCHED, ("tex_to_svg_file",), _replacement(m)) for m in (tex_file_writing, tex_mobject)
    ]
    return all(installed)


def _replacement(module: Any) -> Callable[[], dict[str, Any]]:
    return lambda: {"tex_to_svg_file": _wrap(module.tex_to_svg_file)}
