"""Debian's headless Chromium for the browser tests, with no network at all.

Needs the apt packages chromium and chromium-driver (Selenium's Service points at
/usr/bin/chromedriver, so Selenium downloads nothing) and Selenium from the dev extra.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TIMEOUT = 30  # seconds, for each wait
MOVE_MS = 20  # milliseconds the mouse takes for each segment of a stroke


def start_browser(profile: Path, *, loopback: bool = False) -> Any:
    """Headless Chromium with every host name unresolvable and a dead proxy: no network at all.

    ``loopback``: 127.0.0.1 stays reachable (for a server the test started there), nothing else.
    """
    webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium comes with pip install -e '.[dev]'")
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("needs Debian's browser: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND" + (", EXCLUDE 127.0.0.1" if loopback else ""),
        "--proxy-server=127.0.0.1:9",
        "--window-size=1280,720", "--autoplay-policy=no-user-gesture-required",
    ):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def wait_for(driver: Any, script: str, what: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT).until(lambda d: d.execute_script(script), message=what)


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for since it was opened, from Chromium's performance (DevTools) log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return urls


def assert_offline(urls: list[str]) -> None:
    remote = [u for u in urls if u.lower().startswith(("http:", "https:", "ws:", "wss:"))]
    assert remote == []


def draw(driver: Any, strokes: list[list[tuple[float, float]]], *, counts: bool = True) -> None:
    """Draw ``strokes`` (pad pixels) on the pad with real pointer events (a mouse).

    ``counts``: wait until the page reads it as a drawing (False for a scribble too small to count).
    """
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput

    pad = driver.find_element("id", "pad").rect
    scale = pad["width"] / 280
    # Pointer positions are whole CSS pixels; the pad's border is 2 px.
    at = [[(round(pad["x"] + 2 + x * scale), round(pad["y"] + 2 + y * scale)) for x, y in s] for s in strokes]
    # 20 ms a move, not Selenium's 250: the pen still passes through every point, with the
    # pointer events in between; the pad joins them with straight lines either way.
    actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_MOUSE, "mouse"), duration=MOVE_MS)
    for stroke in at:
        actions.pointer_action.move_to_location(*stroke[0]).pointer_down()
        for x, y in stroke[1:]:
            actions.pointer_action.move_to_location(x, y)
        actions.pointer_action.pointer_up()
    actions.perform()
    if counts:
        wait_for(driver, "return window.nnvizPage.state().source === 'drawing'", "the drawing reached state()")
