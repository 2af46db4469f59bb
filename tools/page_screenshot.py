"""The README's picture of the draw-a-digit page: a 3 drawn on it, one hidden neuron inspected.

    .venv/bin/python tools/page_screenshot.py            # docs/page.png (1280x720)
    .venv/bin/python tools/page_screenshot.py --steps    # docs/page_steps.png: "check digit" played

Writes the page with ``nnviz page`` into a temporary folder and opens it from file:// in
Debian's headless Chromium (apt packages chromium and chromium-driver) with no network.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import draw, start_browser, wait_for  # noqa: E402

#: A 3 in pad pixels, as a lecturer might draw it.
THREE = [[(90, 60), (140, 45), (185, 70), (180, 115), (140, 135), (185, 160), (190, 205), (140, 235), (90, 215)]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", action="store_true", help="show the pre-processing steps instead")
    parser.add_argument("--out", type=Path, help="PNG to write (default docs/page.png or docs/page_steps.png)")
    args = parser.parse_args()
    out = args.out or ROOT / "docs" / ("page_steps.png" if args.steps else "page.png")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "page"
        subprocess.run([sys.executable, "-m", "nnviz", "page", "--out", str(site)], check=True, capture_output=True)
        driver = start_browser(Path(tmp) / "profile")
        try:
            size = {"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": False}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", size)
            driver.get((site / "index.html").as_uri())
            wait_for(driver, "return !!window.nnvizPage", "the page")
            draw(driver, THREE)
            if args.steps:
                driver.find_element("id", "check").click()
                wait_for(driver, "return document.querySelectorAll('#step-list li.shown').length === 5", "the steps")
                driver.execute_script("return new Promise(r => setTimeout(r, 600))")
            else:
                driver.execute_script(
                    "document.querySelectorAll('#neurons circle.neuron')[16 + 2].dispatchEvent(new Event('click'))"
                )
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
