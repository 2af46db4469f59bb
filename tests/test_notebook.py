"""docs/lesson.ipynb runs from top to bottom and shows what it renders.

The notebook is executed the way a lecturer's Jupyter would, with nbclient and an IPython kernel
of this very environment (``sys.executable``), in a temporary folder holding a copy of it, so
manim's ``media/`` lands there. Every code cell must run without an error, the ``%%manim`` cells
must embed their video or still in the notebook, and the forward-pass cell must print the
network's answer for the digit the notebook draws.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs the dev extra: pip install -e '.[dev]'")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs the dev extra: pip install -e '.[dev]'")
kernelspec = pytest.importorskip("ipykernel.kernelspec", reason="the notebook test needs ipykernel (dev extra)")


NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "lesson.ipynb"
KERNEL = "nnviz-test"
CELL_TIMEOUT = 300  # seconds per cell; the whole notebook takes about 15 s on 2 cores


def embedded_media(output: dict) -> list[str]:
    """The kinds of media an output carries inside the notebook: "video" (a data: URL) or "image"."""
    data = output.get("data", {})
    kinds = []
    if "data:video/" in data.get("text/html", ""):
        kinds.append("video")
    if data.get("image/png"):
        kinds.append("image")
    return kinds


def execute_copy(work: Path) -> nbformat.NotebookNode:
    """Run a copy of the notebook in ``work`` with a kernel of this interpreter; the executed notebook."""
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    # A kernel spec of its own, whose argv is this interpreter: never a "python3" kernel of
    # another environment that happens to be installed on the machine.
    jupyter_path = work / "jupyter"
    kernelspec.write_kernel_spec(jupyter_path / "kernels" / KERNEL)
    notebook = nbformat.read(work / NOTEBOOK.name, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        resources={"metadata": {"path": str(work)}},  # the kernel's working folder
    )
    # Without the lecturer's lesson settings (a bad NNVIZ_PALETTE would stop every scene).
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiets debugpy's frozen-modules warning
    with pytest.MonkeyPatch.context() as patch:
        # Where jupyter_client looks for kernel specs first; nbclient starts the kernel, and
        # shuts it down after the last cell.
        patch.setenv("JUPYTER_PATH", str(jupyter_path))
        try:
            client.execute(env=env)
        except nbclient.exceptions.CellExecutionError as error:
            pytest.fail(f"a cell of {NOTEBOOK.name} failed:\n{error}")
    return notebook


@pytest.mark.costly
def test_lesson_notebook_runs_and_embeds_its_renders(tmp_path: Path) -> None:
    """One test, so that pytest-xdist runs the notebook once."""
    executed = execute_copy(tmp_path)
    assert (tmp_path / "media").is_dir(), "manim wrote no media/ in the notebook's folder"

    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert len(code) >= 5
    for cell in code:
        assert cell.get("execution_count"), f"cell did not run:\n{cell.source}"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell failed:\n{cell.source}\n{errors[0].ename}: {errors[0].evalue}"

    # The forward pass prints the network's answer for the drawn "7".
    printed = "".join(o.text for cell in code for o in cell.outputs if o.output_type == "stream")
    assert "the network reads: 7" in printed, printed

    # Every %%manim cell shows what it rendered, inside the notebook (config.media_embed).
    manim_cells = [cell for cell in code if cell.source.startswith("%%manim")]
    assert len(manim_cells) >= 3, "the notebook should have several %%manim cells"
    kinds = []
    for cell in manim_cells:
        shown = [kind for output in cell.outputs for kind in embedded_media(output)]
        assert shown, f"%%manim cell shows no embedded video or image:\n{cell.source}"
        kinds += shown
    assert "video" in kinds and "image" in kinds
    # An embedded video is a real MP4, not an empty data URL.
    html = next(o.data["text/html"] for c in manim_cells for o in c.outputs if "video" in embedded_media(o))
    payload = html.split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(payload)[4:8] == b"ftyp"


def test_notebook_is_stored_without_outputs() -> None:
    """The repository keeps the notebook clean: outputs (base64 videos) belong to a run, not to git."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"stored with outputs:\n{cell.source}"
