from __future__ import annotations

import re
from pathlib import Path

from mltool.lint.contract import read
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

_PYTHON = re.compile(r"^python:\s*['\"]?([^'\"#\s]*)['\"]?\s*(#.*)?$")
_EXACT_PYTHON = re.compile(r"^\d+\.\d+\.\d+$")
_PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s;,]+\s*(;.*)?$")


class DependencyNotPinned(ProjectRule):
    code = "PRJ005"
    name = "dependency-not-pinned"
    message = "a dependency is not pinned to one exact version"
    hint = "pin it with ==, e.g. numpy==2.4.6 (regenerate the lock file from a working environment)"
    what = (
        "Checks that every requirement in `requirements.lock` is pinned with `==`, and that "
        "`python_env.yaml` pins the interpreter to one release (`3.11.7`, not `3.11`), pins "
        "its `build_dependencies` (pip, setuptools, wheel) with `==` and lists only pinned "
        "requirements or `-r requirements.lock`."
    )
    why = (
        "A range lets a later install pick another release, whose numerics, defaults or "
        "kernels may differ: the same code then trains to different weights. MLflow resolves "
        'a bare `python: "3.11"` to the newest 3.11 release it knows and installs it.'
    )
    example = "`numpy>=2` in requirements.lock."
    use_instead = "`numpy==2.4.6`."

    def check(self, project: Path, package: str) -> list[Finding]:
        findings = []
        for line_number, requirement in _requirements(read(project, "requirements.lock") or ""):
            if not requirement.startswith("-") and not _PINNED.match(requirement):
                findings.append(
                    self.finding(
                        "requirements.lock", f"{requirement!r} is not pinned with ==", line_number
                    )
                )
        python_env = read(project, "python_env.yaml") or ""
        findings += self._python(python_env)
        for line_number, requirement in _yaml_dependencies(python_env):
            if not requirement.startswith("-r") and not _PINNED.match(requirement):
                findings.append(
                    self.finding(
                        "python_env.yaml", f"{requirement!r} is not pinned with ==", line_number
                    )
                )
        return findings

    def _python(self, python_env: str) -> list[Finding]:
        for number, line in enumerate(python_env.splitlines(), 1):
            found = _PYTHON.match(line)
            if found and not _EXACT_PYTHON.match(found.group(1)):
                message = f"python {found.group(1)!r} is not one exact release (e.g. 3.11.7)"
                return [self.finding("python_env.yaml", message, number)]
        return []


def _requirements(text: str) -> list[tuple[int, str]]:
    lines = ((n, line.split(" #")[0].strip()) for n, line in enumerate(text.splitlines(), 1))
    return [
        (n, line.rstrip("\\").strip())
        for n, line in lines
        if line and not line.startswith("#") and not line.startswith("--hash")
    ]


def _yaml_dependencies(text: str) -> list[tuple[int, str]]:
    found, inside = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith((" ", "-")) and line.strip():
            inside = line.split("#")[0].strip() in ("dependencies:", "build_dependencies:")
        elif inside and line.strip().startswith("- "):
            found.append((number, line.strip()[2:].split(" #")[0].strip().strip("'\"")))
    return found
