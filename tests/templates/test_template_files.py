"""The rendered mlflow-lightning project: every file parses, names are right, pins are honest."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers import make_project, tree_bytes

REPOSITORY = Path(__file__).resolve().parents[2]
TEMPLATE_MARKERS = re.compile(r"(?<!\$)\{\{|\{%|%\}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, project_name="digit-net", github_owner="Jane-Doe")


def test_renders_the_agreed_layout(project: Path) -> None:
    for path in [
        "pyproject.toml",
        "src/digit_net/__init__.py",
        "src/digit_net/reproducibility.py",
        "src/digit_net/train.py",
        "src/digit_net/checkpoints.py",
        "src/digit_net/resume.py",
        "src/digit_net/progress.py",
        "src/digit_net/registry.py",
        "src/digit_net/predict.py",
        "src/digit_net/distributed.py",
        "src/digit_net/sweep.py",
        "MLproject",
        "compose.yaml",
        "docs/scaling.rst",
        "python_env.yaml",
        "requirements.lock",
        "Dockerfile",
        ".dockerignore",
        "docs/conf.py",
        "tests/test_reproducibility.py",
        "README.rst",
        "CHANGELOG.rst",
        "LICENSE",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".mltool.yml",
        ".github/workflows/lint.yml",
        ".github/workflows/sync.yml",
        ".github/workflows/docs.yml",
        ".github/workflows/train-cpu.yml",
        ".github/workflows/publish-container.yml",
    ]:
        assert (project / path).is_file(), path


def test_no_template_markers_are_left(project: Path) -> None:
    for relative, content in tree_bytes(project).items():
        text = content.decode("utf-8")
        assert not TEMPLATE_MARKERS.search(text), relative
        assert "cookiecutter" not in text, relative


def test_every_yaml_toml_and_python_file_parses(project: Path) -> None:
    parsed = 0
    for path in sorted(project.rglob("*")):
        if ".git" in path.relative_to(project).parts or not path.is_file():
            continue
        if path.suffix in {".yml", ".yaml"} or path.name == "MLproject":
            assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".py":
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        else:
            continue
        parsed += 1
    assert parsed >= 20


def test_workflows_are_valid_and_pin_their_actions(project: Path) -> None:
    workflows = sorted((project / ".github/workflows").glob("*.yml"))
    assert [w.name for w in workflows] == [
        "docs.yml",
        "lint.yml",
        "publish-container.yml",
        "sync.yml",
        "train-cpu.yml",
    ]
    for workflow in workflows:
        data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        assert data["name"] and data["jobs"], workflow.name
        assert True in data, workflow.name  # YAML 1.1 reads the `on:` key as True
        for job in data["jobs"].values():
            for step in job.get("steps", []):
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", step["uses"]), step[
                        "uses"
                    ]
    # GitHub's workflow schema (SchemaStore's, as vendored by check-jsonschema)
    schema = ["check-jsonschema", "--builtin-schema", "vendor.github-workflows"]
    done = subprocess.run(
        [*schema, *map(str, workflows)], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_run_mltool_and_use_the_sync_token(project: Path) -> None:
    workflows = project / ".github/workflows"
    assert "run: mltool lint --format github" in (workflows / "lint.yml").read_text()
    sync = (workflows / "sync.yml").read_text()
    assert "mltool sync" in sync and "schedule:" in sync
    assert sync.count("${{ secrets.MLTOOL_SYNC_TOKEN }}") == 2
    train = (workflows / "train-cpu.yml").read_text()
    assert "run: mltool verify --runs 2 -P seed=42" in train
    from mltool import __version__

    for workflow in ("lint.yml", "sync.yml", "train-cpu.yml"):  # exactly the mltool that rendered
        assert f'pip install "mltool=={__version__}"' in (workflows / workflow).read_text()


def test_workflows_use_actions_that_run_on_node_24(project: Path) -> None:
    """The releases pinned are the first majors whose action runs on Node 24 (or are composite
    actions calling such releases); GitHub retires the Node 20 runtime."""
    node_24 = {
        "actions/checkout": 7,
        "actions/setup-python": 7,
        "actions/upload-pages-artifact": 5,
        "actions/deploy-pages": 5,
        "docker/setup-buildx-action": 4,
        "docker/login-action": 4,
        "docker/metadata-action": 6,
        "docker/build-push-action": 7,
    }
    used = set()
    for workflow in sorted((project / ".github/workflows").glob("*.yml")):
        for action, major in re.findall(r"uses: ([\w.-]+/[\w.-]+)@v(\d+)\.", workflow.read_text()):
            assert int(major) >= node_24[action], (workflow.name, action, major)
            used.add(action)
    assert used == set(node_24)


def test_pre_commit_runs_the_projects_ruff_and_mltool_lint_pinned(project: Path) -> None:
    from mltool import __version__

    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff-check", "ruff-format", "mltool-lint"}
    mltool_project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    test_extra = mltool_project["optional-dependencies"]["test"]
    ruff_pin = next(text for text in test_extra if text.startswith("ruff=="))
    assert hooks["ruff-check"]["additional_dependencies"] == [ruff_pin]
    assert hooks["ruff-format"]["additional_dependencies"] == [ruff_pin]
    assert hooks["mltool-lint"]["additional_dependencies"] == [f"mltool=={__version__}"]
    assert hooks["mltool-lint"]["entry"] == "mltool lint"
    assert hooks["mltool-lint"]["pass_filenames"] is False


def test_generated_code_passes_its_own_ruff_settings(project: Path) -> None:
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        done = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_names_are_right_everywhere(project: Path) -> None:
    mlproject = yaml.safe_load((project / "MLproject").read_text())
    assert mlproject["name"] == "digit-net"
    assert "python -m digit_net.train" in mlproject["entry_points"]["main"]["command"]
    assert set(mlproject["entry_points"]["main"]["parameters"]) == {
        "seed",
        "max_epochs",
        "learning_rate",
        "weight_decay",
        "hidden_size",
        "hidden_layers",
        "dropout",
        "batch_size",
        "num_workers",
        "accelerator",
        "devices",
        "num_nodes",
        "strategy",
        "precision",
        "data",
        "val_fraction",
        "test_fraction",
        "split_seed",
        "monitor",
        "monitor_mode",
        "checkpoint_dir",
        "resume",
        "registered_model",
        "promotion_metric",
        "promotion_direction",
    }
    assert mlproject["entry_points"]["main"]["parameters"]["registered_model"]["default"] == (
        "digit-net"
    )
    predict = mlproject["entry_points"]["predict"]
    assert "python -m digit_net.predict" in predict["command"]
    assert predict["parameters"]["model_uri"]["default"] == "models:/digit-net@champion"
    assert 'ENTRYPOINT ["python", "-m", "digit_net.train"]' in (project / "Dockerfile").read_text()
    publish = (project / ".github/workflows/publish-container.yml").read_text()
    assert "IMAGE: ghcr.io/jane-doe/digit-net\n" in publish
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "digit-net"
    assert pyproject["project"]["scripts"] == {
        "digit-net-train": "digit_net.train:main",
        "digit-net-sweep": "digit_net.sweep:main",
    }


def test_sweep_entry_point_passes_every_parameter(project: Path) -> None:
    sweep = yaml.safe_load((project / "MLproject").read_text())["entry_points"]["sweep"]
    assert "python -m digit_net.sweep" in sweep["command"]
    for name in sweep["parameters"]:
        assert f"--{name.replace('_', '-')} {{{name}}}" in sweep["command"], name
    from mltool.lint.runner import Options, lint

    assert lint((project,), Options(select=("PRJ002",), use_cache=False)).findings == ()


def test_compose_file_follows_the_compose_specification(project: Path) -> None:
    """A tracking server on PostgreSQL with proxied artifacts, and the trainer using it; official
    images pinned to a version (there is no container engine here to run it)."""
    schema = ["check-jsonschema", "--builtin-schema", "vendor.compose-spec", "compose.yaml"]
    done = subprocess.run(schema, cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    assert services["database"]["image"] == "postgres:15.18-bookworm"
    mlflow_pin = importlib.metadata.version("mlflow")  # the server runs the MLflow of the lock
    assert services["tracking"]["image"] == f"ghcr.io/mlflow/mlflow:v{mlflow_pin}-full"
    command = services["tracking"]["command"]
    assert command[:2] == ["mlflow", "server"]
    backend = command[command.index("--backend-store-uri") + 1]
    assert backend.startswith("postgresql+psycopg2://mlflow:")
    assert backend.endswith("@database:5432/mlflow")
    assert "--serve-artifacts" in command
    assert command[command.index("--artifacts-destination") + 1] == "/mlartifacts"
    assert "artifacts:/mlartifacts" in services["tracking"]["volumes"]
    assert services["tracking"]["depends_on"]["database"]["condition"] == "service_healthy"
    trainer = services["trainer"]
    assert trainer["build"]["context"] == "."
    assert trainer["environment"]["MLFLOW_TRACKING_URI"] == "http://tracking:5000"
    assert "tracking:5000" in command[command.index("--allowed-hosts") + 1].split(",")


def test_dockerfile_is_pinned_non_root_and_deterministic(project: Path) -> None:
    lines = (project / "Dockerfile").read_text().splitlines()
    assert "ENV CUBLAS_WORKSPACE_CONFIG=:4096:8" in lines
    assert "ENV PYTHONHASHSEED=0" in lines
    assert "ARG BASE_IMAGE=pytorch/pytorch:2.13.0-cuda12.8-cudnn9-runtime" in lines
    assert "USER 10001" in lines  # the uid of the user the image creates
    assert "mlflow.db" in (project / ".dockerignore").read_text().splitlines()


def test_dockerfile_passes_hadolint(project: Path) -> None:
    done = subprocess.run(
        ["hadolint", "--no-color", "Dockerfile"], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_requirements_lock_is_exact_and_closed(project: Path) -> None:
    """Every line an exact pin; the libraries the code imports pinned to what is tested here;
    and every dependency of a locked package locked too."""
    pins = {}
    for line in (project / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep, line
            pins[canonicalize_name(name)] = version
    for name in ("torch", "pytorch-lightning", "torchmetrics", "mlflow", "scikit-learn", "numpy"):
        assert importlib.metadata.version(name).split("+")[0] == pins[name], name
    for name in pins:
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                assert canonicalize_name(requirement.name) in pins, (
                    f"{name} needs {requirement.name}"
                )
    env = yaml.safe_load((project / "python_env.yaml").read_text())
    assert env["dependencies"] == ["-r requirements.lock"]
    tools = [Requirement(text) for text in env["build_dependencies"]]
    assert [tool.name for tool in tools] == ["pip", "setuptools", "wheel"]
    assert all(re.fullmatch(r"==\d+(\.\d+)*", str(tool.specifier)) for tool in tools), tools


def test_tool_mltool_section_and_version_locations(project: Path) -> None:
    tool = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mltool"]
    assert tool["lint"] == {"ignore": [], "exclude": []}
    assert tool["sync"] == {"level": "minor", "base-branch": "development", "project-owned": []}
    files = tool["bump-version"]["files"]
    assert [f["path"] for f in files] == [
        "pyproject.toml",
        "src/digit_net/__init__.py",
        "docs/conf.py",
    ]
    for entry in files:
        pattern = entry["pattern"].replace("{version}", re.escape("0.1.0.dev0"))
        text = (project / entry["path"]).read_text()
        assert len(re.findall(pattern, text, re.MULTILINE)) == 1, entry


def test_changelog_names_the_template(project: Path) -> None:
    assert (project / "CHANGELOG.rst").read_text() == (
        "Changelog\n=========\n\n0.1.0.dev0 (unreleased)\n-----------------------\n\n"
        "- Project created from the mltool template mlflow-lightning.\n"
    )


@pytest.mark.parametrize(
    ("license", "first_line"),
    [
        ("MIT", "MIT License"),
        ("BSD-3-Clause", "BSD 3-Clause License"),
        ("Apache-2.0", "Copyright 2026 Jane Doe"),
        ("GPL-3.0", "Copyright 2026 Jane Doe"),
    ],
)
def test_license_text_follows_the_answer(tmp_path: Path, license: str, first_line: str) -> None:
    text = (make_project(tmp_path, license=license) / "LICENSE").read_text()
    assert text.splitlines()[0] == first_line
    assert "Jane Doe" in text
    marker = {
        "MIT": "MIT License",
        "BSD-3-Clause": "Neither the name of the copyright holder",
        "Apache-2.0": "Apache License",
        "GPL-3.0": "GNU GENERAL PUBLIC LICENSE",
    }[license]
    assert marker in text
    assert (
        len(text)
        > {"MIT": 1000, "BSD-3-Clause": 1400, "Apache-2.0": 11000, "GPL-3.0": 35000}[license]
    )


def test_hyphenated_and_underscored_names_render_the_same_code(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    hyphen = tree_bytes(make_project(tmp_path / "a", project_name="digit-net"))
    underscore = tree_bytes(make_project(tmp_path / "b", project_name="digit_net"))
    assert set(hyphen) == set(underscore)
    differing = sorted(path for path in hyphen if hyphen[path] != underscore[path])
    assert differing == [
        ".mltool.yml",
        "README.rst",
        "docs/conf.py",
        "docs/index.rst",
        "src/digit_net/__init__.py",
    ]


def test_quotes_in_answers_stay_valid_toml_and_python(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, author_name='Jane "JD" O\'Doe', description='Digits \\ "quoted"'
    )
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["authors"] == [
        {"name": 'Jane "JD" O\'Doe', "email": "jane@example.org"}
    ]
    assert pyproject["project"]["description"] == 'Digits \\ "quoted"'
    namespace: dict[str, object] = {}
    exec((project / "docs/conf.py").read_text(), namespace)
    assert namespace["author"] == 'Jane "JD" O\'Doe'


def test_rendering_is_byte_identical(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert tree_bytes(make_project(tmp_path / "a")) == tree_bytes(make_project(tmp_path / "b"))


def test_docs_build_without_warnings(project: Path, tmp_path: Path) -> None:
    pytest.importorskip("sphinx")
    pytest.importorskip("furo")
    from sphinx.cmd.build import build_main

    assert (
        build_main(["-q", "-W", "-b", "html", str(project / "docs"), str(tmp_path / "html")]) == 0
    )
    assert (tmp_path / "html" / "reproducibility.html").is_file()
