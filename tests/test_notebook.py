"""The example notebook runs top to bottom, shows what it promises, and is stored clean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "explore_mentorship_graph.ipynb"
nbformat = pytest.importorskip("nbformat")


def test_the_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


@pytest.mark.slow
def test_the_notebook_executes_and_shows_tables_a_drawing_and_a_gexf(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    work = tmp_path / "nb"
    work.mkdir()
    shutil.copy(NOTEBOOK, work)
    nb = nbformat.read(work / NOTEBOOK.name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    client.execute()  # raises CellExecutionError naming the cell on any failure
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<strong>MentorshipGraph</strong>" in h for h in html)
    assert sum("dataframe" in h for h in html) >= 4  # metrics, nodes, edges, report
    assert any("image/png" in o.get("data", {}) for o in outputs)
    text = "".join(o.get("text", "") for o in outputs)
    descendants = int(text.split(" descendants")[0].rsplit(": ", 1)[1])
    assert descendants >= 30  # the lineage drawn is a big one
    assert (work / "district.gexf").stat().st_size > 0
    assert (work / "district-shared.gexf").stat().st_size > 0
