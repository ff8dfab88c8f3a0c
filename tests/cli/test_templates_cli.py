"""``mltool list`` and ``mltool info``."""

from __future__ import annotations

import json

from helpers import invoke
from mltool.render import catalog
from mltool.render.answers import ANSWER_KEYS


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


def test_info_json_lists_the_questions_with_defaults_and_choices() -> None:
    result = invoke("info", "mlflow-lightning", "--json")
    questions = {q["key"]: q for q in json.loads(result.stdout)["questions"]}
    assert list(questions) == list(ANSWER_KEYS)
    assert questions["project_name"]["default"] is None
    assert questions["license"] == {
        "key": "license",
        "prompt": "License",
        "help": "the license the project is published under",
        "default": "MIT",
        "choices": ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0"],
    }
    assert questions["version"]["default"] == catalog.get("mlflow-lightning").default_version


def test_info_defaults_follow_the_user_config() -> None:
    assert invoke("config", "set", "author_name", "Ada Lovelace").exit_code == 0
    questions = json.loads(invoke("info", "mlflow-lightning", "--json").stdout)["questions"]
    defaults = {q["key"]: q["default"] for q in questions}
    assert (defaults["author_name"], defaults["github_owner"]) == ("Ada Lovelace", "ada-lovelace")


def test_info_text_shows_each_question() -> None:
    lines = invoke("info", "mlflow-lightning").stdout.splitlines()
    assert "  project_name  Project name (no default)" in lines
    assert (
        "  license       License (default MIT; one of MIT, Apache-2.0, BSD-3-Clause, GPL-3.0)"
        in lines
    )
