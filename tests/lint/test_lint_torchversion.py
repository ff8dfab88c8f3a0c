"""Which torch version lint judges against, and rules that depend on it."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from tests.helpers import build_file_tree

from mltool.lint import knowledge, torchversion
from mltool.lint.runner import Options, lint

NEWEST = "the newest torch mltool knows: nothing pins torch and none is installed"
PAD = "from torch import nn\npad = nn.ReflectionPad2d(1)\nup = nn.Upsample(None, 2, 'bicubic')\n"


@pytest.mark.parametrize(
    ("files", "version", "source"),
    [
        (
            {"requirements.lock": "numpy==2.4.6\ntorch==2.5.1+cu121\n"},
            "2.5.1",
            "pinned in requirements.lock",
        ),
        (
            {"requirements-train.txt": "torch == 2.14.0\n"},
            "2.14.0",
            "pinned in requirements-train.txt",
        ),
        (
            {"pyproject.toml": '[project]\ndependencies = ["torch==2.12.1"]\n'},
            "2.12.1",
            "pinned in pyproject.toml",
        ),
        (
            {"python_env.yaml": "dependencies:\n  - torch==2.11.0\n"},
            "2.11.0",
            "pinned in python_env.yaml",
        ),
        (
            {"requirements.txt": "torch>=2.13\n"},
            "2.13",
            "the lowest that torch>=2.13 in requirements.txt allows",
        ),
        (
            {
                "pyproject.toml": "[project]\ndependencies = "
                "[\"torch~=2.12.0; python_version>'3.9'\"]\n"
            },
            "2.12.0",
            "the lowest that torch~=2.12.0 in pyproject.toml allows",
        ),
        (
            {"requirements.txt": "torchvision>=0.20\ntorch>=2.1,<3\n"},
            "2.1",
            "the lowest that torch<3,>=2.1 in requirements.txt allows",
        ),
        (
            {"environment.yml": "dependencies:\n  - python=3.11\n  - pytorch=2.4.1\n"},
            "2.4.1",
            "pinned in environment.yml",
        ),
        (
            {"pyproject.toml": '[project.optional-dependencies]\ntrain = ["torch[cuda]>=2.3"]\n'},
            "2.3",
            "the lowest that torch>=2.3 in pyproject.toml allows",
        ),
        ({"requirements.txt": "torch<3\n"}, None, None),
    ],
)
def test_pin_sources(
    tmp_path: Path, files: dict[str, str], version: str | None, source: str | None
) -> None:
    build_file_tree(tmp_path, files)
    assumed = torchversion.assume(tmp_path)
    if version is None:  # not pinned: the installed torch, else the newest known
        try:
            expected = (metadata.version("torch").split("+")[0], "the installed torch")
        except metadata.PackageNotFoundError:
            expected = (knowledge.NEWEST_KNOWN, NEWEST)
        assert (assumed.version, assumed.source) == expected
    else:
        assert (assumed.version, assumed.source) == (version, source)


def test_configured_version_wins(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"requirements.lock": "torch==2.5.1\n"})
    assert (
        torchversion.assume(tmp_path, "2.15.0").source
        == "set by torch-version in [tool.mltool.lint]"
    )


def test_no_torch_installed_means_newest_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(torchversion.metadata, "version", missing)
    assumed = torchversion.assume(tmp_path)
    assert (assumed.version, assumed.source) == (knowledge.NEWEST_KNOWN, NEWEST)


def test_operations_deterministic_since_2_15_are_judged_by_version(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"model.py": PAD, "requirements.lock": "torch==2.13.0\n"})
    old = lint((tmp_path,), Options(use_cache=False)).findings
    assert [(f.code, f.line) for f in old] == [("DET108", 2), ("DET101", 3)]
    assert old[0].message.endswith("(judged for torch 2.13.0, pinned in requirements.lock)")
    build_file_tree(tmp_path, {"requirements.lock": "torch==2.15.0\n"})
    assert lint((tmp_path,), Options(use_cache=False)).findings == ()


def test_cublas_rule_follows_the_version_and_recurrent_layers(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "train.py": "import torch\ntorch.use_deterministic_algorithms(True)\n",
            "requirements.lock": "torch==2.5.1\n",
        },
    )
    (old,) = lint((tmp_path,), Options(use_cache=False)).findings
    assert (old.code, old.severity) == ("DET204", "error")
    build_file_tree(tmp_path, {"requirements.lock": "torch==2.13.0\n"})
    assert lint((tmp_path,), Options(use_cache=False)).findings == ()
    # later torch still needs the variable for cuDNN RNNs, where the training builds one
    model = "from torch import nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
    model += "        super().__init__()\n        self.rnn = nn.GRU(8, 16)\n"
    build_file_tree(tmp_path, {"model.py": model})
    assert lint((tmp_path,), Options(use_cache=False)).findings == ()  # nothing builds a Net
    train = "import torch\nfrom model import Net\ntorch.use_deterministic_algorithms(True)\n"
    build_file_tree(tmp_path, {"train.py": train + "net = Net()\n"})
    (new,) = lint((tmp_path,), Options(use_cache=False)).findings
    assert (new.code, new.severity, Path(new.path).name) == ("DET204", "warning", "train.py")
    assert "cuDNN RNNs" in new.message
    # nor does a recurrent layer in another script
    build_file_tree(
        tmp_path, {"model.py": "", "other.py": "from torch import nn\nrnn = nn.LSTM(8, 16)\n"}
    )
    assert lint((tmp_path,), Options(use_cache=False)).findings == ()


def test_version_knowledge_is_data() -> None:
    assert knowledge.nondeterministic("reflection-pad-2d", "2.13.0")
    assert not knowledge.nondeterministic("reflection-pad-2d", "2.15.0")
    assert not knowledge.nondeterministic("cumsum", "2.16.1")
    assert knowledge.nondeterministic("cumsum", "not a version")
