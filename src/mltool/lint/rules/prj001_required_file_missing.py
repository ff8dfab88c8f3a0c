from __future__ import annotations

from pathlib import Path

from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

REQUIRED = (
    "pyproject.toml",
    "src/{package}/__init__.py",
    "src/{package}/reproducibility.py",
    "src/{package}/train.py",
    "src/{package}/checkpoints.py",
    "src/{package}/registry.py",
    "src/{package}/predict.py",
    "MLproject",
    "python_env.yaml",
    "requirements.lock",
    "Dockerfile",
    ".dockerignore",
    "docs/conf.py",
    "README.rst",
    "CHANGELOG.rst",
    "LICENSE",
    ".gitignore",
    ".pre-commit-config.yaml",
)
REQUIRED_DIRS = ("tests", ".github/workflows")


class RequiredFileMissing(ProjectRule):
    code = "PRJ001"
    name = "required-file-missing"
    message = "a file every mltool project must have is missing"
    hint = "restore it from git, or see what `mltool sync` would bring back"
    what = (
        "Checks that a project made by `mltool create` still has the files the contract "
        "relies on: " + ", ".join(f"`{p}`" for p in REQUIRED) + ", and the `tests/` and "
        "`.github/workflows/` directories (with at least one workflow)."
    )
    why = (
        "Training, packaging, docs, CI and `mltool sync` / `bump-version` read these files; "
        "a missing one breaks the reproducible path silently."
    )
    example = "A project whose `requirements.lock` was deleted."
    use_instead = "Keep the files; change their content, not their existence."

    def check(self, project: Path, package: str) -> list[Finding]:
        findings = [
            self.finding(p, f"required file {p} is missing")
            for p in (r.format(package=package) for r in REQUIRED)
            if not (project / p).is_file()
        ]
        findings += [
            self.finding(d, f"required directory {d}/ is missing")
            for d in REQUIRED_DIRS
            if not (project / d).is_dir()
        ]
        workflows = project / ".github/workflows"
        if workflows.is_dir() and not any(workflows.glob("*.y*ml")):
            findings.append(self.finding(".github/workflows", "no workflow in .github/workflows/"))
        return findings
