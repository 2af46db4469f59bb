"""The three floors stay clean: imports point down only, no cycles, the core commands never load manim."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500

# Each floor may import itself and the floors listed (besides the standard library and PyPI).
# Modules not named here (cli, api, grids, the package itself) sit beside the floors and may
# import any nnviz module; the rules below still keep them free of cycles.
FLOORS: dict[str, set[str]] = {
    "nnviz.core": set(),
    "nnviz.theme": {"nnviz.core"},
    "nnviz.visual": {"nnviz.core", "nnviz.theme"},
    "nnviz.lesson": {"nnviz.core", "nnviz.theme", "nnviz.visual", "nnviz.api"},
    # The draw-a-digit page talks to the core; its server renders videos through the lesson's pipeline.
    "nnviz.page": {"nnviz.core", "nnviz.theme", "nnviz.api", "nnviz.lesson"},
}
# Modules that must never import manim, even lazily inside a function.
MANIM_FREE = (
    "nnviz.core", "nnviz.theme", "nnviz.api", "nnviz.grids", "nnviz.cli", "nnviz.cli_options",
    "nnviz.cli_page", "nnviz.page.export", "nnviz.page.site",
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def nnviz_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((ROOT / "nnviz").rglob("*.py"))}


def resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(path: Path, *, top_level_only: bool) -> list[tuple[str, list[str]]]:
    """(imported module, imported names) for each import statement, outside `if TYPE_CHECKING:`."""
    module = module_name(path) if path.is_relative_to(ROOT / "nnviz") else path.stem
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, list[str]]] = []

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                found.extend((a.name, []) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                found.append((resolve(module, path, node), [a.name for a in node.names]))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and top_level_only:
                continue
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit([c for c in children if isinstance(c, ast.stmt)] or [])
                    for c in children:
                        if isinstance(c, ast.ExceptHandler):
                            visit(c.body)

    visit(tree.body)
    return found


def floor_of(module: str) -> str | None:
    return next((f for f in FLOORS if module == f or module.startswith(f + ".")), None)


def targets(module: str, imported: str, names: list[str], known: dict[str, Path]) -> list[str]:
    """The nnviz modules an import statement loads: `from pkg import sub` names the submodule."""
    found = [f"{imported}.{n}" for n in names if f"{imported}.{n}" in known]
    if imported in known and len(found) < max(len(names), 1):
        found.append(imported)
    return [t for t in found if t != module]


def test_imports_point_down_only() -> None:
    known = nnviz_modules()
    wrong = []
    for module, path in known.items():
        floor = floor_of(module)
        if floor is None:
            continue
        allowed = {floor, *FLOORS[floor]}
        for imported, names in imports(path, top_level_only=False):
            if not imported.startswith("nnviz"):
                continue
            for target in targets(module, imported, names, known) or [imported]:
                if floor_of(target) not in allowed and target not in allowed:
                    wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycles() -> None:
    known = nnviz_modules()
    graph = {
        m: {
            t
            for imp, names in imports(p, top_level_only=False)
            if imp.startswith("nnviz")
            for t in targets(m, imp, names, known)
        }
        for m, p in known.items()
    }
    # Imports inside functions count too: a lazy import hides a cycle from Python, not from a reader.
    # A submodule importing its own package is how Python packages work, not a cycle of design.
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def walk(m: str, stack: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                cycles.append([*stack[stack.index(t) :], t])
            elif t in graph and t not in state:
                walk(t, [*stack, t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])
    assert cycles == []


def test_core_commands_never_import_manim_in_source() -> None:
    wrong = [
        f"{m} imports {imp}"
        for m, p in nnviz_modules().items()
        if any(m == f or m.startswith(f + ".") for f in MANIM_FREE)
        for imp, _ in imports(p, top_level_only=False)
        if imp == "manim" or imp.startswith(("manim.", "manim_slides", "nnviz.visual"))
    ]
    assert wrong == []


def test_scenes_use_the_public_api_only() -> None:
    wrong = [
        f"{p.name} imports {imp}"
        for p in sorted((ROOT / "scenes").glob("*.py"))
        for imp, _ in imports(p, top_level_only=False)
        if imp.startswith("nnviz") and imp != "nnviz"
    ]
    assert wrong == []


def test_no_module_over_500_lines() -> None:
    files = [*(ROOT / "nnviz").rglob("*.py"), *(ROOT / "scenes").glob("*.py")]
    counts = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in files}
    long = {name: n for name, n in counts.items() if n > MAX_LINES}
    assert long == {}


def test_public_names_resolve() -> None:
    import nnviz

    pytest.importorskip("manim")
    import nnviz.lesson
    import nnviz.visual

    assert set(nnviz.visual.__all__) <= set(nnviz.__all__)
    assert {"LessonScene", "lesson_settings"} <= set(nnviz.__all__)
    missing = [n for n in nnviz.__all__ if getattr(nnviz, n, None) is None]
    assert missing == []


# -- at run time, with manim made unimportable ---------------------------------------------------

NO_MANIM = "import sys; sys.modules['manim'] = None; sys.modules['manim_slides'] = None\n"


def run_without_manim(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", NO_MANIM + code], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", ["info", "train", "evaluate", "predict", "grids", "download", "page"])
def test_core_command_help_works_without_manim(command: str, tmp_path: Path) -> None:
    result = run_without_manim(f"from nnviz.cli import main; sys.exit(main([{command!r}, '--help']))", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "usage: nnviz" in result.stdout


def test_grids_and_settings_work_without_manim(tmp_path: Path) -> None:
    code = (
        "from nnviz.cli import main\n"
        "assert main(['grids', '--out', 'g', '--palette', 'colorblind']) == 0\n"
        "assert main(['page', '--out', 'p']) == 0\n"
        "from nnviz.lesson import lesson_settings\n"
        "print(lesson_settings({'palette': 'colorblind'}).palette)\n"
    )
    result = run_without_manim(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("colorblind")
    assert len(list((tmp_path / "g").glob("layer1_neuron*.png"))) == 16
    assert (tmp_path / "p" / "index.html").is_file()


def test_info_imports_no_manim(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nnviz", "info"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "numpy" in imported  # the import-time report was read
    assert [m for m in imported if m.split(".")[0] in ("manim", "manimpango", "cairo")] == []
