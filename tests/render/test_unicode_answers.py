"""Property: answers of any Unicode render into files that their own formats read back.

Every rendered ``.toml``, ``.yml``/``.yaml`` and ``.rst`` file is parsed (tomllib, PyYAML's
safe loader, docutils), and so is the Sphinx ``conf.py``. ReST files are held to the messages
docutils gives for plain answers (Sphinx-only directives are unknown to bare docutils).
"""

from __future__ import annotations

import ast
import io
import tempfile
from pathlib import Path

import pytest
import tomllib
import yaml
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from tests.render.unicode_text import BLOCK_STARTS, ONE_LINE

from helpers import ANSWERS
from mltool.errors import InvalidAnswer
from mltool.render import catalog, create, record
from mltool.render.answers import Answers

PLAIN = {**ANSWERS, "description": "Digits.", "license": "MIT", "version": "0.1.0.dev0"}


def answers(description: str, author_name: str) -> Answers:
    raw = {**PLAIN, "description": description, "author_name": author_name}
    try:
        return Answers.from_mapping(raw)
    except InvalidAnswer:  # e.g. "{{", or a name of only what git drops: refused, not broken
        return Answers.from_mapping(PLAIN)


def rst_report(path: Path) -> tuple[str, list[str]]:
    warnings = io.StringIO()
    tree = publish_doctree(
        path.read_text(encoding="utf-8"),
        settings_overrides={
            "warning_stream": warnings,
            "report_level": 1,
            "halt_level": 5,
            "file_insertion_enabled": False,
        },
    )
    first = [p.astext() for p in tree.findall(nodes.paragraph)][:1]
    return warnings.getvalue(), [tree.get("title", ""), *first]


def parsed_files(project: Path) -> dict[str, object]:
    """Every file of a format mltool or its tools read, parsed (raises on invalid syntax)."""
    parsed: dict[str, object] = {}
    for path in sorted(project.rglob("*")):
        name = path.relative_to(project).as_posix()
        if ".git/" in name or not path.is_file():
            continue
        if path.suffix == ".toml":
            parsed[name] = tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in (".yml", ".yaml"):
            parsed[name] = yaml.safe_load(path.read_text(encoding="utf-8"))
        elif path.suffix == ".rst":
            parsed[name] = rst_report(path)
        elif path.suffix == ".py":
            parsed[name] = ast.parse(path.read_text(encoding="utf-8"))
    return parsed


def render(into: Path, given: Answers) -> Path:
    return create.create_project(catalog.get("mlflow-lightning"), given, into).path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    return parsed_files(render(tmp_path_factory.mktemp("plain"), Answers.from_mapping(PLAIN)))


# Each example renders a whole project (about a second), so failures are not shrunk.
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(
    description=st.tuples(st.sampled_from(["", *BLOCK_STARTS]), ONE_LINE).map("".join),
    author_name=ONE_LINE,
)
def test_any_answers_render_into_valid_files(
    baseline: dict[str, object], description: str, author_name: str
) -> None:
    given_answers = answers(description, author_name)
    with tempfile.TemporaryDirectory() as scratch:
        project = render(Path(scratch), given_answers)
        parsed = parsed_files(project)
        assert record.read(project).answers == given_answers
        metadata = parsed["pyproject.toml"]["project"]  # type: ignore[index]
    assert metadata["description"] == given_answers.description
    assert metadata["authors"][0]["name"] == given_answers.author_name
    conf = {
        node.targets[0].id: ast.literal_eval(node.value)  # type: ignore[attr-defined]
        for node in parsed["docs/conf.py"].body  # type: ignore[attr-defined]
        if isinstance(node, ast.Assign) and node.targets[0].id in ("project", "author")  # type: ignore[attr-defined]
    }
    assert conf["author"] == given_answers.author_name
    for name in ("README.rst", "docs/index.rst"):
        problems, (title, first_paragraph) = parsed[name]  # type: ignore[misc]
        assert problems == baseline[name][0]  # type: ignore[index]
        assert (title, first_paragraph) == ("digits", given_answers.description)
    for name, content in parsed.items():
        if name.endswith((".rst", ".py")):
            assert content.__class__ is baseline[name].__class__
        else:
            assert isinstance(content, dict), name


def test_an_emoji_description_gives_a_valid_pyproject(tmp_path: Path) -> None:
    project = render(tmp_path, answers('Fast 🚀 nets, "quoted" \\ slashed', "Zoë 😀 O'Neil"))
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["description"] == 'Fast 🚀 nets, "quoted" \\ slashed'
    assert data["project"]["authors"][0]["name"] == "Zoë 😀 O'Neil"
