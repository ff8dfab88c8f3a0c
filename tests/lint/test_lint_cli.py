"""``mltool lint`` on the command line: formats, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from tests.helpers import build_file_tree, invoke

from mltool.lint import registry

BAD = (
    "import torch\nfrom torch import nn\n\n"
    "pool = nn.AvgPool3d(2)\ntorch.backends.cudnn.benchmark = True\n"
)
SCHEMA = Path(__file__).with_name("sarif-2.1.0-rtm.4.json")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build_file_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["torch==2.13.0"]\n',
            "src/model.py": BAD,
            "src/clean.py": "x = 1\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_output_and_exit_code(tree: Path) -> None:
    result = invoke("lint")
    assert result.exit_code == 1
    assert result.stdout == (
        "src/model.py:4:8 DET104 nn.AvgPool3d() backward raises under "
        "torch.use_deterministic_algorithms(True) on CUDA (judged for torch 2.13.0, pinned in "
        "pyproject.toml)\n"
        "  hint: pool (H, W) with AvgPool2d and D with AvgPool1d via reshape, "
        "or use a fixed-weight conv\n"
        "src/model.py:5:1 DET201 torch.backends.cudnn.benchmark = True: cuDNN benchmark mode picks "
        "convolution algorithms by timing, differently per run\n"
        "  hint: leave torch.backends.cudnn.benchmark False (Trainer(deterministic=True) does)\n"
        "Found 2 findings (2 errors, 0 warnings) in 2 files "
        "(torch 2.13.0, pinned in pyproject.toml).\n"
    )


def test_no_findings_exit_zero(tree: Path) -> None:
    result = invoke("lint", "src/clean.py")
    assert (result.exit_code, result.stdout) == (
        0,
        "All checks passed: 1 file, no findings (torch 2.13.0, pinned in pyproject.toml).\n",
    )


def test_json_output_is_the_documented_schema(tree: Path) -> None:
    result = invoke("lint", "--format", "json", "src")
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert document["version"] == 1
    assert document["summary"] == {
        "files_checked": 2,
        "notebooks_checked": 0,
        "findings": 2,
        "errors": 2,
        "warnings": 0,
        "torch": {"version": "2.13.0", "source": "pinned in pyproject.toml"},
    }
    first = document["findings"][0]
    assert list(first) == [
        *("code", "name", "severity", "path", "line", "column", "message", "hint", "cell")
    ]
    assert first["cell"] is None
    assert (
        first["code"],
        first["name"],
        first["severity"],
        first["path"],
        first["line"],
        first["column"],
    ) == ("DET104", "avg-pool-3d", "error", "src/model.py", 4, 8)


def test_sarif_output_validates_against_the_schema(tree: Path) -> None:
    result = invoke("lint", "--format", "sarif")
    document = json.loads(result.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = document["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["DET104", "DET201"]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == len(registry.all_rules())
    assert rules[run["results"][0]["ruleIndex"]]["id"] == "DET104"
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "src/model.py"},
        "region": {"startLine": 4, "startColumn": 8},
    }


def test_github_annotations(tree: Path) -> None:
    lines = invoke("lint", "--format", "github").stdout.splitlines()
    assert lines[0].startswith(
        "::error file=src/model.py,line=4,col=8,title=DET104 avg-pool-3d::"
        "nn.AvgPool3d() backward raises"
    )
    assert lines[-1].startswith("Found 2 findings")


def test_select_and_ignore(tree: Path) -> None:
    assert "DET201" not in invoke("lint", "--select", "DET1").stdout
    only = invoke("lint", "--ignore", "DET104,LNT")
    assert "DET104" not in only.stdout and "DET201" in only.stdout
    assert invoke("lint", "--ignore", "DET1", "--ignore", "DET2").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ("--select", "DET9"),
            "error: unknown rule code or prefix 'DET9'",
            "hint: see `mltool lint --list-rules` for the codes",
        ),
        (
            ("--explain", "XYZ123"),
            "error: unknown rule code 'XYZ123'",
            "hint: see `mltool lint --list-rules` for the codes",
        ),
        (
            ("--format", "xml"),
            "error: unknown format 'xml'",
            "hint: choose one of: text, json, sarif, github",
        ),
        (
            ("missing-dir",),
            "error: no such file or directory: missing-dir",
            "hint: check the paths given to lint",
        ),
    ],
)
def test_usage_errors_exit_2(tree: Path, args: tuple[str, ...], message: str, hint: str) -> None:
    result = invoke("lint", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message, hint]
    assert result.stdout == ""


def test_bad_configuration_exits_2(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.mltool.lint]\nignore = "DET1"\n', encoding="utf-8")
    result = invoke("lint")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: pyproject.toml [tool.mltool.lint]: ignore must be a list of strings",
        'hint: for example ignore = ["DET4"]',
    ]
    (tree / "pyproject.toml").write_text("[tool.mltool.lint]\nignored = []\n", encoding="utf-8")
    assert invoke("lint").stderr.splitlines()[0].endswith("unknown key 'ignored'")


def test_configuration_ignore_exclude_and_torch_version(tree: Path) -> None:
    build_file_tree(
        tree,
        {
            "pyproject.toml": '[tool.mltool.lint]\nignore = ["DET2"]\n'
            'exclude = ["src/clean.py"]\ntorch-version = "2.15.0"\n'
        },
    )
    result = invoke("lint", "--format", "json")
    document = json.loads(result.stdout)
    assert [f["code"] for f in document["findings"]] == ["DET104"]
    assert document["summary"]["files_checked"] == 1
    assert document["summary"]["torch"] == {
        "version": "2.15.0",
        "source": "set by torch-version in [tool.mltool.lint]",
    }


def test_explain_prints_the_rule_documentation() -> None:
    result = invoke("lint", "--explain", "det201")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "DET201 cudnn-benchmark-enabled (error)"
    for section in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix"):
        assert section in lines


def test_list_rules() -> None:
    lines = invoke("lint", "--list-rules").stdout.splitlines()
    assert len(lines) == len(registry.all_rules())
    assert lines[0] == "DET101  error    interpolate-nondeterministic-mode"
