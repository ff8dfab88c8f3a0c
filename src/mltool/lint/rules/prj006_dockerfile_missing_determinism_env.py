from __future__ import annotations

import re
from pathlib import Path

from mltool.lint.contract import read
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

_REQUIRED = {
    "CUBLAS_WORKSPACE_CONFIG": re.compile(r"^:(4096:8|16:8)$"),
    "PYTHONHASHSEED": re.compile(r"^[0-9]+$"),
}
_ENV = re.compile(r"^\s*ENV\s+(.*)$", re.I)
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)(\"[^\"]*\"|'[^']*'|\S+)")


class DockerfileMissingDeterminismEnv(ProjectRule):
    code = "PRJ006"
    name = "dockerfile-missing-determinism-env"
    message = "the Dockerfile does not set the determinism environment variables"
    hint = "add ENV CUBLAS_WORKSPACE_CONFIG=:4096:8 and ENV PYTHONHASHSEED=0"
    what = (
        "Checks that the `Dockerfile` sets `CUBLAS_WORKSPACE_CONFIG` to `:4096:8` or "
        "`:16:8` and `PYTHONHASHSEED` to a fixed number with `ENV`."
    )
    why = (
        "Both must be in the environment before the process starts: Python reads "
        "PYTHONHASHSEED at start-up (setting it from code is too late), and cuBLAS reads its "
        "workspace setting when it initialises."
    )
    example = "A Dockerfile with no `ENV PYTHONHASHSEED` line."
    use_instead = "`ENV CUBLAS_WORKSPACE_CONFIG=:4096:8` and `ENV PYTHONHASHSEED=0`."

    def check(self, project: Path, package: str) -> list[Finding]:
        text = read(project, "Dockerfile")
        if text is None:
            return []  # PRJ001 reports the missing file
        values = _env_values(text)
        findings = []
        for name, valid in _REQUIRED.items():
            value = values.get(name)
            if value is None:
                findings.append(self.finding("Dockerfile", f"Dockerfile does not set ENV {name}"))
            elif not valid.match(value):
                findings.append(
                    self.finding(
                        "Dockerfile",
                        f"Dockerfile sets {name}={value}, which does not make runs reproducible",
                    )
                )
        return findings


def _env_values(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        match = _ENV.match(line)
        if match:
            for name, value in _PAIR.findall(match.group(1)):
                values[name] = value.strip("\"'")
    return values
