"""Shared pytest set-up: graphical regression tests on this machine's cairo, and no silent skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    # The options manim's frames_comparison reads; manim only registers them in its own test suite.
    parser.addoption("--set_test", action="store_true", help="write control data for frames_comparison tests")
    parser.addoption("--show_diff", action="store_true", help="show a diff of failing frames_comparison tests")


def pytest_configure(config: pytest.Config) -> None:
    (ROOT / "tests" / "control_data").mkdir(exist_ok=True)
    try:
        from manim.utils.testing import frames_comparison
    except ImportError:  # the core tests run without manim
        return
    # Debian 12 ships cairo 1.16; manim would skip every Cairo test below 1.18. Control data are
    # recorded on the machine's own cairo build, so they are comparable here.
    frames_comparison.MIN_CAIRO_VERSION = 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    """With NNVIZ_STRICT=1 (CI), a skipped test is a failure: CI never passes on skips."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("NNVIZ_STRICT") == "1" and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under NNVIZ_STRICT=1: {report.longrepr}"
