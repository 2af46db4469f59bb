"""Shared pytest set-up: a scratch working folder, graphical regression tests on this machine's
cairo, and no silent skips."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pluggy import Result

ROOT = Path(__file__).resolve().parents[1]

#: A two-beat lesson scene, quick to render: the slide-deck tests build their decks from it.
TWO_BEATS_SCENE = """
from manim import Circle, Create, Square, Transform
from nnviz.lesson import LessonScene


class TwoBeats(LessonScene):
    def construct(self):
        self.beat("neuron", notes="A neuron holds a number: its activation.")
        shape = Circle()
        self.play(Create(shape), run_time=0.4)
        self.beat("layer", notes="Now the square & the next beat.")
        self.play(Transform(shape, Square()), run_time=0.4)
"""


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n N`` (pytest-xdist's default ``--dist load``): a test class runs whole on one worker.

    Tests share a costly module fixture (a render, a lecture, a browser) by sitting in one
    class; spread over two workers, each worker would make the fixture itself. Every other
    test is a unit of its own, as with ``load``. (xdist's ``loadgroup`` does this by renaming
    test ids, which pytest 9.2 no longer lets it do: pytest-xdist issue 1386.)
    """
    if config.getvalue("dist") != "load":
        return None  # an explicit --dist keeps its own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class ClassScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module, _, rest = nodeid.partition("::")
            test_class, sep, _ = rest.partition("::")
            return f"{module}::{test_class}" if sep else nodeid

    return ClassScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``costly`` first, the rest in their order: no worker starts a long one last."""
    items.sort(key=lambda item: item.get_closest_marker("costly") is None)


def pytest_addoption(parser: pytest.Parser) -> None:
    # The options manim's frames_comparison reads; manim only registers them in its own test suite.
    parser.addoption("--set_test", action="store_true", help="write control data for frames_comparison tests")
    parser.addoption("--show_diff", action="store_true", help="show a diff of failing frames_comparison tests")


#: What the starting-folder check leaves out: pytest's own cache, bytecode, tools' caches, venvs.
_NOT_WATCHED = {".git", ".pytest_cache", "__pycache__", ".mypy_cache", ".ruff_cache"}
_START_STATE = pytest.StashKey[dict[str, tuple[int, int]]]()
_CACHE_HOME = pytest.StashKey[str]()


def folder_state(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root``, caches and virtual envs aside."""
    state = {}
    for folder, children, files in os.walk(root):
        children[:] = [c for c in children if c not in _NOT_WATCHED and not c.startswith(".venv")]
        for name in files:
            path = Path(folder, name)
            stat = path.lstat()
            state[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return state


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controlling process, before it starts any worker
        config.stash[_START_STATE] = folder_state(config.invocation_params.dir)
        # The session's own user cache (nnviz's formula store, downloads, the cluster's TeX
        # folders), inherited by the xdist workers and every process a test starts: nothing of
        # an earlier run is found, nothing lands in the real ~/.cache, and each formula the
        # tests use is compiled once in the session.
        config.stash[_CACHE_HOME] = tempfile.mkdtemp(prefix="nnviz-tests-cache-")
        os.environ["XDG_CACHE_HOME"] = config.stash[_CACHE_HOME]
    (ROOT / "tests" / "control_data").mkdir(exist_ok=True)
    try:
        from manim.utils.testing import frames_comparison
    except ImportError:  # the core tests run without manim
        return
    # Debian 12 ships cairo 1.16; manim would skip every Cairo test below 1.18. Control data are
    # recorded on the machine's own cairo build, so they are comparable here.
    frames_comparison.MIN_CAIRO_VERSION = 0
    # Formulas built in the test processes themselves share the store too, as in a lesson scene.
    from nnviz.visual.formula_store import share_compiled_formulas

    share_compiled_formulas()


def pytest_unconfigure(config: pytest.Config) -> None:
    cache_home = config.stash.get(_CACHE_HOME, None)
    if cache_home is not None:
        shutil.rmtree(cache_home, ignore_errors=True)


@pytest.fixture(autouse=True)
def default_theme() -> Iterator[None]:
    """Every test starts from the default theme: a LessonScene's setup sets its palette and
    typography as the default for everything built afterwards, in this process."""
    from nnviz.theme import get_theme, set_theme

    before = get_theme()
    yield
    set_theme(before)


@pytest.fixture(scope="session", autouse=True)
def scratch_working_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Run the whole session in an empty folder of its own, never the one pytest started in.

    Anything written relative to the working folder (manim's default ``./media``, say, by a
    MathTex built in-process) lands here instead of in the repository, and no test can lean
    on a file that happens to lie in the starting folder. Tests that render still use a
    ``tmp_path`` of their own; this is the net under them.
    """
    folder = tmp_path_factory.mktemp("cwd")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield folder


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    """With NNVIZ_STRICT=1 (CI), a skipped test is a failure: CI never passes on skips."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("NNVIZ_STRICT") == "1" and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under NNVIZ_STRICT=1: {report.longrepr}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The suite writes nothing into the folder it was started from (tests work in folders of their own)."""
    before = session.config.stash.get(_START_STATE, None)
    if before is None:
        return
    after = folder_state(session.config.invocation_params.dir)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        shown = ", ".join(changed[:10]) + (f" and {len(changed) - 10} more" if len(changed) > 10 else "")
        print(f"\nthe tests wrote into the folder they were started from: {shown}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
