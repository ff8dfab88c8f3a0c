"""Notebooks: code cells linted as one source, findings told by cell and line in the cell."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.helpers import build_file_tree, invoke

from mltool.lint import notebook
from mltool.lint.runner import Options, lint

SCHEMA = Path(__file__).with_name("sarif-2.1.0-rtm.4.json")


def ipynb(*cells: str | tuple[str, str]) -> str:
    """A notebook of code cells (a ``(type, source)`` pair for another kind of cell)."""
    listed = []
    for cell in cells:
        kind, source = cell if isinstance(cell, tuple) else ("code", cell)
        lines = source.splitlines(keepends=True)
        listed.append({"cell_type": kind, "metadata": {}, "source": lines})
    return json.dumps({"cells": listed, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


NOTEBOOK = ipynb(
    ("markdown", "# Training\n"),
    "%matplotlib inline\nimport torch\n!pip install -q lightning\nfiles = !ls\n",
    "%%bash\necho this is not python (\n",
    "\ntorch.backends.cudnn.benchmark = True\n",
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build_file_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["torch==2.13.0"]\n',
            "nb.ipynb": NOTEBOOK,
            "clean.py": "x = 1\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_names_the_cell_like_ruff(tree: Path) -> None:
    result = invoke("lint", "--select", "DET201")
    assert result.stdout.splitlines()[0].startswith(
        "nb.ipynb:cell 4:2:1 DET201 torch.backends.cudnn.benchmark = True"
    )
    assert result.stdout.splitlines()[-1] == (
        "Found 1 finding (1 error, 0 warnings) in 2 files, 1 of them a notebook "
        "(torch 2.13.0, pinned in pyproject.toml)."
    )


def test_json_and_sarif_carry_the_cell(tree: Path) -> None:
    document = json.loads(invoke("lint", "--select", "DET201", "--format", "json").stdout)
    (finding,) = document["findings"]
    assert (finding["cell"], finding["line"], finding["column"]) == (4, 2, 1)
    assert document["summary"]["notebooks_checked"] == 1
    sarif = json.loads(invoke("lint", "--select", "DET201", "--format", "sarif").stdout)
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"] == {"cell": 4}
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    github = invoke("lint", "--select", "DET201", "--format", "github").stdout
    assert "line=2," in github and "::cell 4, line 2: torch.backends" in github


def test_cells_share_imports_and_suppressions_work(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "a.ipynb": ipynb(
                "import torch",
                "torch.backends.cudnn.benchmark = True  # mltool: ignore[DET201]",
                "torch.backends.cudnn.benchmark = True  # noqa: DET201",
                "torch.backends.cudnn.benchmark = True",
            )
        },
    )
    findings = lint((tmp_path,), Options(select=("DET201",), use_cache=False)).findings
    assert [(f.cell, f.line) for f in findings] == [(4, 1)]


def test_a_cell_that_does_not_parse_is_reported_and_the_rest_linted(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {"a.ipynb": ipynb("import torch\n", "x = (\n", "torch.backends.cudnn.benchmark = True\n")},
    )
    findings = lint((tmp_path,), Options(select=("LNT", "DET201"), use_cache=False)).findings
    assert [(f.code, f.cell, f.line) for f in findings] == [("LNT001", 2, 1), ("DET201", 3, 1)]


def test_a_broken_notebook_file_is_unreadable(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"a.ipynb": "{not json", "b.ipynb": '{"cells": 3}'})
    findings = lint((tmp_path,), Options(use_cache=False)).findings
    assert [(f.path[-7:], f.code, f.cell) for f in findings] == [
        ("a.ipynb", "LNT002", 0),
        ("b.ipynb", "LNT002", 0),
    ]


def test_notebooks_are_cached_with_their_cells(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"nb.ipynb": NOTEBOOK})
    first = lint((tmp_path,), Options(select=("DET201",)))
    second = lint((tmp_path,), Options(select=("DET201",)))
    assert (first.cached_files, second.cached_files) == (0, 1)
    assert first.findings == second.findings
    assert [(f.cell, f.line) for f in second.findings] == [(4, 2)]
    assert second.notebooks == 1


def test_a_notebook_with_python_text_as_a_py_file_is_not_confused(tmp_path: Path) -> None:
    """The same bytes mean different code in a .py file and in a notebook."""
    text = '{"cells": [{"cell_type": "code", "source": "import torch\\nprint(torch.randperm(3))"}]}'
    build_file_tree(tmp_path, {"a.py": text, "a.ipynb": text})
    lint((tmp_path,))
    codes = {Path(f.path).name: f.code for f in lint((tmp_path,)).findings}
    assert codes == {"a.ipynb": "DET301"}


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("%time f()\n", ("pass",)),
        ("if x:\n    !ls\n", ("if x:", "    pass")),
        ("out = %sx ls\nobj?\n", ("out = None", "pass")),
        ("%%timeit\nx = 1\n", ("", "")),
        ("x = 1 % 2\n", ("x = 1 % 2",)),
    ],
)
def test_ipython_syntax_is_neutralised_line_for_line(source: str, lines: tuple[str, ...]) -> None:
    assert notebook.neutralise(source) == lines
