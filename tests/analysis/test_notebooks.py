"""The analysts' notebooks execute (nbclient, a python3 kernel from this interpreter) against a fresh extract of
the sample corpus in a temporary folder, quickly and without errors, and also against tables with no entity
rows yet (they print "No rows yet" instead of failing). Nothing is written into notebooks/."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from pipeline import notebooks
from pipeline.engine import run_extract
from pipeline.paths import REPO
from tests.helpers import CORPUS, MODEL

NOTEBOOKS = notebooks.notebook_paths(REPO / "notebooks")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("notebooks") / "extracted"
    run_extract(CORPUS, out, str(MODEL) if MODEL.is_dir() else None)
    return out


@pytest.fixture(scope="module")
def rules_only(out, tmp_path_factory) -> Path:
    """Tables as a run without a trained model leaves them: documents and sections only."""
    dest = tmp_path_factory.mktemp("rules") / "extracted"
    for name in ("documents", "sections"):
        shutil.copytree(out / name, dest / name)
    return dest


def _outputs(nb) -> tuple[str, int, list[str]]:
    """All text the notebook printed or displayed, the number of images, and any errors."""
    text, images, errors = [], 0, []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "stream":
                text.append(o.text)
            elif o.output_type == "error":
                errors.append(f"{o.ename}: {o.evalue}")
            else:
                data = o.get("data", {})
                images += "image/png" in data
                text.append(data.get("text/plain", ""))
    return "\n".join(text), images, errors


def test_notebooks_are_numbered_and_have_no_stored_errors():
    assert [p.name for p in NOTEBOOKS] == ["01-tour.ipynb", "02-metrics.ipynb", "03-people.ipynb"]
    import nbformat

    for p in NOTEBOOKS:
        nb = nbformat.read(p, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert not _outputs(nb)[2], f"{p.name} was saved with an error output"
        src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert 'os.environ.get("MINUTES_OUT", "../data/extracted")' in src


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_on_the_sample_output(path, out):
    before = path.read_bytes()
    t0 = time.perf_counter()
    nb = notebooks.execute_notebook(path, out)
    seconds = time.perf_counter() - t0
    text, images, errors = _outputs(nb)
    assert not errors
    assert seconds < 60, f"{path.name} took {seconds:.0f} s (aim: under 30 s)"
    shown = re.search(r"^(\S+): (\d+) documents;", text, flags=re.M)  # the first cell names the folder it read
    assert shown and (path.parent / shown.group(1)).resolve() == out.resolve()  # MINUTES_OUT, not the default
    assert path.read_bytes() == before  # executing does not write into notebooks/
    has_model = MODEL.is_dir()
    if path.stem == "01-tour":
        assert "documents" in text and "sections" in text and "items" in text
    if path.stem == "02-metrics" and has_model:
        assert images >= 1 and "No rows yet in metrics" not in text
    if path.stem == "03-people" and has_model:
        assert images >= 1 and "attendance_rate" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_says_no_rows_yet_on_empty_tables(path, rules_only):
    nb = notebooks.execute_notebook(path, rules_only)
    text, _, errors = _outputs(nb)
    assert not errors
    assert "No rows yet in" in text


def test_cli_saves_executed_copies_and_draws_the_figure(out, tmp_path, capsys):
    folder = tmp_path / "nbs"
    folder.mkdir()
    shutil.copy(NOTEBOOKS[0], folder / NOTEBOOKS[0].name)
    assert notebooks.main(["--out", str(out), "--notebooks", str(folder)]) == 0
    import nbformat

    saved = nbformat.read(folder / NOTEBOOKS[0].name, as_version=4)
    assert not _outputs(saved)[2] and _outputs(saved)[0]
    figure = tmp_path / "tour.png"
    assert notebooks.main(["--out", str(out), "--figure", str(figure)]) == 0
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and figure.stat().st_size > 10_000
    assert notebooks.main(["--out", str(tmp_path / "missing")]) == 2
    assert "make extract" in capsys.readouterr().err
