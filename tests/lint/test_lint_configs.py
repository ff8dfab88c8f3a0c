"""Hydra / OmegaConf YAML: trainer settings are findings at their line, and a trainer config
that switches deterministic algorithms on counts for the training code."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import build_file_tree, invoke

from mltool.lint.runner import Options, lint

TRAIN = (
    "import hydra\nimport lightning as L\n\n"
    "@hydra.main(config_path='configs', config_name='train')\n"
    "def main(cfg):\n    if cfg.get('seed'):\n        L.seed_everything(cfg.seed, workers=True)\n"
    "    trainer = hydra.utils.instantiate(cfg.trainer)\n    trainer.fit(model)\n\n"
    "if __name__ == '__main__':\n    main()\n"
)
LAYOUT = {
    "src/train.py": TRAIN,
    "configs/train.yaml": "defaults:\n  - trainer: default\n  - _self_\n\nseed: 42\n",
    "configs/trainer/default.yaml": (
        "_target_: lightning.pytorch.trainer.Trainer\nmax_epochs: 10\ndeterministic: true\n"
    ),
    "configs/trainer/gpu.yaml": "defaults:\n  - default\n\naccelerator: gpu\ndevices: 1\n",
    ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
}


def codes(root: Path) -> list[tuple[str, int, str]]:
    result = lint((root,), Options(use_cache=False, select=("DET",)))
    return [(Path(f.path).relative_to(root).as_posix(), f.line, f.code) for f in result.findings]


def test_a_clean_hydra_layout_lints_clean_and_counts_only_configs(tmp_path: Path) -> None:
    build_file_tree(tmp_path, LAYOUT)
    result = lint((tmp_path,), Options(use_cache=False))
    assert result.findings == ()
    assert result.files_checked == 4  # train.py and three configs; the workflow is no config


def test_trainer_settings_are_findings_at_their_yaml_line(tmp_path: Path) -> None:
    spec = dict(LAYOUT)
    spec["configs/train.yaml"] = "defaults:\n  - trainer: default\n\nseed: null\n"
    spec["configs/trainer/default.yaml"] = (
        "_target_: lightning.pytorch.trainer.Trainer\ndeterministic: false\nbenchmark: true\n"
    )
    spec["configs/trainer/gpu.yaml"] += "benchmark: true  # mltool: ignore[DET201]\n"
    build_file_tree(tmp_path, spec)
    assert codes(tmp_path) == [
        ("configs/train.yaml", 4, "DET310"),
        ("configs/trainer/default.yaml", 2, "DET202"),
        ("configs/trainer/default.yaml", 3, "DET201"),
        ("src/train.py", 9, "DET203"),
    ]


def test_yaml_findings_have_regions_in_json_and_sarif(tmp_path: Path) -> None:
    spec = dict(LAYOUT)
    spec["configs/trainer/gpu.yaml"] += "benchmark: true\n"
    build_file_tree(tmp_path, spec)
    data = json.loads(invoke("lint", "--no-cache", "--format", "json", str(tmp_path)).stdout)
    (finding,) = data["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("DET201", 6, 12)
    sarif = json.loads(invoke("lint", "--no-cache", "--format", "sarif", str(tmp_path)).stdout)
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("configs/trainer/gpu.yaml")
    assert location["region"]["startLine"] == 6
