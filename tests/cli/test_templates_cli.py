"""``mltool list`` and ``mltool info``."""

from __future__ import annotations

import json

from helpers import invoke
from mltool.render import catalog


def test_list_json_names_every_bundled_template() -> None:
    result = invoke("list", "--json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [t["name"] for t in listed] == [t.name for t in catalog.available()]
    default = next(t for t in listed if t["name"] == "mlflow-lightning")
    assert default["version"] == catalog.get("mlflow-lightning").version


def test_list_table_shows_name_version_description() -> None:
    result = invoke("list")
    template = catalog.get("mlflow-lightning")
    row = next(line for line in result.stdout.splitlines() if "mlflow-lightning" in line)
    assert row.split()[:2] == ["mlflow-lightning", template.version]


def test_info_json_lists_libraries_and_files() -> None:
    result = invoke("info", "mlflow-lightning", "--json")
    details = json.loads(result.stdout)
    template = catalog.get("mlflow-lightning")
    assert details["libraries"] == list(template.libraries)
    assert details["files"] == template.files()
    assert "README.rst" in details["files"]


def test_info_text_shows_every_file() -> None:
    result = invoke("info", "mlflow-lightning")
    assert result.exit_code == 0
    for path in catalog.get("mlflow-lightning").files():
        assert f"  {path}\n" in result.stdout


def test_info_unknown_template() -> None:
    result = invoke("info", "nope")
    assert result.exit_code == 2
    assert (
        result.stderr == "error: unknown template 'nope'\n"
        "hint: available templates: mlflow-lightning (see `mltool list`)\n"
    )
