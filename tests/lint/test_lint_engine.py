"""The engine: name resolution, look-alikes, suppression, robustness, ordering."""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from pathlib import Path

import pytest
from tests.helpers import build_file_tree, tree_bytes
from tests.lint.test_lint_rules import settle

from mltool.lint import registry
from mltool.lint.engine import MAX_BYTES, Linter
from mltool.lint.model import TorchAssumption
from mltool.lint.rule import Rule
from mltool.lint.runner import Options, lint

CODE_RULES = [r for r in registry.all_rules() if issubclass(r, Rule)]
LINTER = Linter(CODE_RULES, TorchAssumption("2.13.0", "test"))


def codes(source: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in settle(LINTER.lint_source(source))]


@pytest.mark.parametrize(
    "imports",
    [
        "import torch.nn.functional as F\ncall = F.interpolate",
        "from torch.nn import functional as F\ncall = F.interpolate",
        "import torch\ncall = torch.nn.functional.interpolate",
        "from torch.nn.functional import interpolate\ncall = interpolate",
        "from torch.nn.functional import interpolate as resize\ncall = resize",
    ],
)
def test_import_spellings_resolve_to_one_name(imports: str) -> None:
    module, _, call = imports.partition("\ncall = ")
    assert codes(f"{module}\ny = {call}(x, size=4, mode='linear')\n") == [("DET101", 2)]


@pytest.mark.parametrize(
    "source",
    [
        "from torch import nn\npool = nn.AdaptiveAvgPool2d(7)\n",
        "import torch.nn as nn\npool = nn.AdaptiveAvgPool2d(7)\n",
        "from torch.nn import AdaptiveAvgPool2d as Pool\npool = Pool(7)\n",
        "from torch.nn.modules.pooling import AdaptiveAvgPool2d\npool = AdaptiveAvgPool2d(7)\n",
    ],
)
def test_module_constructors_are_recognised(source: str) -> None:
    assert codes(source) == [("DET102", 2)]


def test_tensor_methods_are_recognised() -> None:
    source = "import torch\nx.index_reduce_(0, i, s, 'prod')\ny = x.bincount(w)\n"
    assert codes(source) == [("DET117", 2), ("DET115", 3)]


@pytest.mark.parametrize(
    "source",
    [
        "# F.interpolate(x, mode='linear')  torch.backends.cudnn.benchmark = True\nx = 1\n",
        "text = \"nn.AdaptiveAvgPool2d(7); random.random(); os.listdir('.')\"\n",
        "import torch\nbincount = len(x)\nbincount(3)\n",
        "import numpy as np\ncounts = np.bincount(x, weights=w)\nm = np.median(x, 0)\n",
        "def interpolate(x, mode):\n    return x\n\ny = interpolate(x, mode='linear')\n",
        "import torch.nn.functional as F\ny = F.interpolate(x, scale_factor=2, mode='nearest')\n",
        "from torch import nn\nhead = nn.AdaptiveAvgPool2d(1)\n",
        "import pandas as pd\nmedian = frame.median(0)\n",
    ],
)
def test_look_alikes_comments_and_strings_report_nothing(source: str) -> None:
    assert codes(source) == []


def test_suppression_per_line_and_per_file() -> None:
    line = "import torch\ntorch.backends.cudnn.benchmark = True  # mltool: ignore[DET201]\n"
    assert codes(line) == []
    other_code = "import torch\ntorch.backends.cudnn.benchmark = True  # mltool: ignore[DET101]\n"
    assert codes(other_code) == [("DET201", 2)]
    prefix = "import torch\ntorch.backends.cudnn.benchmark = True  # mltool: ignore[DET2]\n"
    assert codes(prefix) == []
    whole = "# mltool: ignore-file\nimport torch\ntorch.backends.cudnn.benchmark = True\n"
    assert codes(whole) == []
    in_string = "import torch\ntorch.backends.cudnn.benchmark = True; s = '# mltool: ignore'\n"
    assert codes(in_string) == [("DET201", 2)]


def test_syntax_error_is_a_finding_with_its_line() -> None:
    (finding,) = settle(LINTER.lint_source("x = 1\ndef f(:\n    pass\n"))
    assert (finding.code, finding.line, finding.severity) == ("LNT001", 2, "error")
    assert finding.message.startswith("syntax error: ")


def test_bad_files_never_crash_and_are_reported(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "empty.py": "",
            "latin.py": b"x = '\xe9t\xe9'\n",
            "big.py": b"#" * (MAX_BYTES + 1),
            "nested.py": "x = " + "(" * 5000 + ")" * 5000 + "\n",
            "broken.py": "def f(:\n",
        },
    )
    os.symlink("loop.py", tmp_path / "loop.py")
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "up")  # a directory link loop: never followed
    before = tree_bytes(tmp_path)
    result = lint((tmp_path,), Options(use_cache=False))
    found = {(Path(f.path).name, f.code) for f in result.findings}
    assert found == {
        ("latin.py", "LNT002"),
        ("big.py", "LNT002"),
        ("nested.py", "LNT001"),
        ("broken.py", "LNT001"),
        ("loop.py", "LNT002"),
    }
    assert result.files_checked == 6
    assert tree_bytes(tmp_path) == before  # lint never modifies files


def test_output_is_sorted_by_path_line_column_code(tmp_path: Path) -> None:
    bad = "import torch\nfrom torch import nn\nx = [nn.AvgPool3d(2), nn.MaxUnpool2d(2)]\n"
    build_file_tree(tmp_path, {"b.py": bad, "a/z.py": bad, "a.py": bad})
    findings = lint((tmp_path,), Options(use_cache=False)).findings
    keys = [
        (Path(f.path).relative_to(tmp_path).as_posix(), f.line, f.column, f.code) for f in findings
    ]
    assert keys == sorted(keys)
    assert [k[0] for k in keys[::2]] == ["a.py", "a/z.py", "b.py"]


def test_paths_are_shown_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_file_tree(tmp_path, {"pkg/m.py": "from torch import nn\np = nn.AvgPool3d(2)\n"})
    monkeypatch.chdir(tmp_path)
    assert [f.path for f in lint((Path("."),), Options(use_cache=False)).findings] == ["pkg/m.py"]
    assert [f.path for f in lint((Path("pkg"),), Options(use_cache=False)).findings] == ["pkg/m.py"]
    assert [f.path for f in lint((Path("pkg/m.py"),), Options(use_cache=False)).findings] == [
        "pkg/m.py"
    ]


def test_facts_from_any_linted_file_settle_pending_findings(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"data.py": "import random\nx = random.random()\n"})
    assert [f.code for f in lint((tmp_path,), Options(use_cache=False)).findings] == ["DET301"]
    build_file_tree(tmp_path, {"seed.py": "import random\nrandom.seed(0)\n"})
    assert lint((tmp_path,), Options(use_cache=False)).findings == ()


def test_parallel_and_serial_runs_agree(tmp_path: Path) -> None:
    spec = {
        f"m{i:03}.py": f"import os\nfrom torch import nn\nx{i} = nn.AvgPool3d({i})\n"
        "names = os.listdir('.')\n"
        for i in range(120)
    }
    build_file_tree(tmp_path, spec)
    serial = lint((tmp_path,), Options(use_cache=False, jobs=1))
    parallel = lint((tmp_path,), Options(use_cache=False, jobs=2))
    assert serial == parallel
    assert len(serial.findings) == 240


TRICKY = [
    "import torch\n\n@decorate(torch.nn.AvgPool3d(2))\ndef f():\n    pass\n",
    "devices = list(\n    {\n        d.name\n        for d in stages\n    }\n)\n",
    "from torch.nn.functional import interpolate as up\n\n\n"
    "def f(x):\n    return up(x, 2, None, 'linear')\n",
    "import os\nnames = [\n    n\n    for n in os.listdir('.')\n]\n",
    "import torch\nclass M:\n    def f(self, x):\n"
    "        return x.index_reduce_(0, i, s, 'prod')\n",
]


def test_skipping_statements_never_hides_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint with the vocabulary-based skipping and with every line walked: same reports."""
    from mltool.lint import engine

    root = Path(__file__).resolve().parents[2]
    sources = [*TRICKY, *(s for r in CODE_RULES for s, _ in r.invalid)]
    sources += [p.read_text(encoding="utf-8") for p in sorted((root / "src").rglob("*.py"))]
    skipping = [LINTER.lint_source(s) for s in sources]
    scan = engine.vocabulary.scan

    def every_line(source: str, words: tuple[str, ...]) -> engine.vocabulary.Scan:
        return replace(scan(source, words), lines=list(range(1, source.count("\n") + 2)))

    monkeypatch.setattr(engine.vocabulary, "scan", every_line)
    walking_all = [LINTER.lint_source(s) for s in sources]
    assert skipping == walking_all
    assert sum(len(settle(r)) for r in skipping[: len(TRICKY)]) == len(TRICKY)


def test_words_mark_only_lines_that_hold_them_as_whole_pieces_of_names() -> None:
    from mltool.lint import vocabulary

    source = (
        "setattr(a, 'b', 1)\nnames = set(labels)\nx.index_put_(i, v)\ny = input(1)\n"
        "z = torch.randn(3)\nsettings.update(seed_everything=1)\ninit_seeds(0)\n"
    )
    lines = vocabulary.scan(source, ("set", "put", "rand", "seed")).lines
    assert lines == [2, 3, 6, 7]  # randn is not rand; seed is an anchor: init_seeds holds it


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("x.cpu()", True),
        ("x.to('cpu')", True),
        ("x.to(device='cpu')", True),
        ("x.cpu(0)", False),
        ("x.to('cuda')", False),
        ("x.to(device)", False),
        ("x", False),
    ],
)
def test_on_cpu_reads_only_what_the_code_shows(expression: str, expected: bool) -> None:
    from mltool.lint.args import on_cpu

    node = ast.parse(expression, mode="eval").body
    assert on_cpu(node) is expected


def test_rules_for_any_device_still_see_cpu_tensors() -> None:
    source = "import torch\nimport torch.nn.functional as F\ny = F.max_unpool2d(x.cpu(), i, 2)\n"
    assert codes(source) == [("DET107", 3)]
