"""lint on generated projects: a fresh one is clean; each rule fires on a mutated copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.helpers import invoke

from mltool.lint import registry
from mltool.lint.rule import Rule
from mltool.lint.runner import Options, lint

PACKAGE = "src/digits"
CODE_RULES = {r.code: r for r in registry.all_rules() if issubclass(r, Rule)}


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}: the template changed, update this test"
    path.write_text(text.replace(old, new), encoding="utf-8")


def without_determinism(project: Path) -> None:
    edit(
        project,
        f"{PACKAGE}/reproducibility.py",
        "    torch.use_deterministic_algorithms(True)\n",
        "",
    )
    edit(project, f"{PACKAGE}/train.py", "        deterministic=True,\n", "")


def without_cublas(project: Path) -> None:
    edit(project, f"{PACKAGE}/reproducibility.py", "CUBLAS_WORKSPACE_CONFIG", "WORKSPACE")
    edit(project, "Dockerfile", "ENV CUBLAS_WORKSPACE_CONFIG=:4096:8\n", "")
    edit(project, f"{PACKAGE}/train.py", "        deterministic=True,\n", "")


def with_recurrent_layer(project: Path) -> None:
    """torch 2.10 and later need the cuBLAS workspace only for cuDNN RNNs."""
    path = project / PACKAGE / "reproducibility.py"
    path.write_text(path.read_text(encoding="utf-8") + "\nRNN = torch.nn.LSTM(8, 16)\n")


def without_seed(project: Path) -> None:
    edit(
        project,
        f"{PACKAGE}/reproducibility.py",
        "pl.seed_everything(seed, workers=True, verbose=False)",
        "pass",
    )


def mutant(source: str | bytes) -> Callable[[Path], None]:
    def write(project: Path) -> None:
        path = project / PACKAGE / "mutant.py"
        if isinstance(source, bytes):
            path.write_bytes(source)
        else:
            path.write_text(source, encoding="utf-8")

    return write


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def run(project: Path) -> None:
        for step in steps:
            step(project)

    return run


SPECIAL: dict[str, Callable[[Path], None]] = {
    "DET119": both(without_determinism, mutant(CODE_RULES["DET119"].invalid[0][0])),
    "DET120": both(without_determinism, mutant(CODE_RULES["DET120"].invalid[0][0])),
    "DET203": without_determinism,
    "DET204": both(without_cublas, with_recurrent_layer),
    "DET301": both(without_seed, mutant(CODE_RULES["DET301"].invalid[0][0])),
    "DET302": both(without_seed, mutant(CODE_RULES["DET302"].invalid[0][0])),
    "DET304": both(without_seed, mutant(CODE_RULES["DET304"].invalid[0][0])),
    "LNT002": mutant(b"x = '\xff'\n"),
    "PRJ001": lambda p: (p / "requirements.lock").unlink(),
    "PRJ002": lambda p: edit(p, "MLproject", "python -m digits.train", "python -m digits.training"),
    "PRJ003": lambda p: edit(
        p, f"{PACKAGE}/reproducibility.py", "    torch.use_deterministic_algorithms(True)\n", ""
    ),
    "PRJ004": lambda p: edit(p, f"{PACKAGE}/train.py", "    enable_determinism(config.seed)\n", ""),
    "PRJ005": lambda p: edit(p, "requirements.lock", "\nnumpy==", "\nnumpy>="),
    "PRJ006": lambda p: edit(p, "Dockerfile", "ENV PYTHONHASHSEED=0\n", ""),
    "PRJ007": lambda p: edit(
        p, f"{PACKAGE}/__init__.py", '__version__ = "0.1.0.dev0"', '__version__ = "9.9.9"'
    ),
    "PRJ008": lambda p: edit(p, "README.rst", "digits", "{{ cookiecutter.project_slug }}"),
    "PRJ009": lambda p: edit(p, ".mltool.yml", "jane@example.org", "jane"),
    "PRJ010": lambda p: edit(
        p, "compose.yaml", "image: postgres:15.18-bookworm", "image: postgres"
    ),
}


def yaml_mutant(code: str) -> Callable[[Path], None]:
    def write(project: Path) -> None:
        (project / "conf").mkdir(exist_ok=True)
        (project / "conf" / "train.yaml").write_text(CODE_RULES[code].yaml_invalid[0][0])

    return write


def mutation(code: str) -> Callable[[Path], None]:
    if code in CODE_RULES and CODE_RULES[code].yaml_invalid and not CODE_RULES[code].invalid:
        return yaml_mutant(code)
    return SPECIAL.get(code) or mutant(CODE_RULES[code].invalid[0][0])


def test_fresh_project_lints_clean(pristine_project: Path) -> None:
    result = invoke("lint", "--no-cache", str(pristine_project))
    files = sum(1 for p in pristine_project.rglob("*.py") if ".git" not in p.parts)
    assert result.stdout == (
        f"All checks passed: {files} files, no findings "
        "(torch 2.13.0, pinned in requirements.lock).\n"
    )
    assert result.exit_code == 0


@pytest.mark.parametrize("code", [r.code for r in registry.all_rules()])
def test_rule_fires_on_a_mutated_project(project: Path, code: str) -> None:
    assert lint((project,), Options(use_cache=False)).findings == ()
    mutation(code)(project)
    found = lint((project,), Options(use_cache=False)).findings
    assert code in {f.code for f in found}, [(f.code, f.path, f.message) for f in found]
    if code in CODE_RULES and code not in SPECIAL and CODE_RULES[code].invalid:
        assert {f.path for f in found if f.code == code} == {str(project / PACKAGE / "mutant.py")}


@pytest.mark.parametrize(
    ("pin", "problem"),
    [('"3.11"', "'3.11'"), ("3.11.*  # any 3.11", "'3.11.*'"), ("'3.12.4'", None)],
)
def test_python_env_interpreter_must_be_one_release(
    project: Path, pin: str, problem: str | None
) -> None:
    edit(project, "python_env.yaml", 'python: "3.11.7"', f"python: {pin}")
    lines = (project / "python_env.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("python:"))
    found = lint((project,), Options(select=("PRJ005",), use_cache=False)).findings
    expected = f"{line}: python {problem} is not one exact release (e.g. 3.11.7)"
    assert [f"{f.line}: {f.message}" for f in found] == ([expected] if problem else [])


def test_python_env_build_tools_must_be_pinned(project: Path) -> None:
    edit(project, "python_env.yaml", "  - pip==26.3\n", "  - pip\n")
    lines = (project / "python_env.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("  - pip") + 1
    found = lint((project,), Options(select=("PRJ005",), use_cache=False)).findings
    assert [(f.path, f.line, f.message) for f in found] == [
        (str(project / "python_env.yaml"), line, "'pip' is not pinned with ==")
    ]


@pytest.mark.parametrize("relative", [f"{PACKAGE}/checkpoints.py", ".pre-commit-config.yaml"])
def test_the_resume_module_and_pre_commit_config_are_required(project: Path, relative: str) -> None:
    (project / relative).unlink()
    found = lint((project,), Options(select=("PRJ001",), use_cache=False)).findings
    assert [f.message for f in found] == [f"required file {relative} is missing"]
