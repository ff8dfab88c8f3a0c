from __future__ import annotations

import re
from pathlib import Path

from mltool.lint.contract import read
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

COMPOSE = "compose.yaml"
#: ``name:1.2``, ``name:1.2.3-bookworm``, ``name:v3.17.2-full`` or any ``name@sha256:...``.
_PINNED = re.compile(r"^[^@\s]+:v?\d+\.\d+[\w.-]*$|^[^@\s]+@sha256:[0-9a-f]{64}$")


class ComposeImageNotPinned(ProjectRule):
    code = "PRJ010"
    name = "compose-image-not-pinned"
    message = "a service image in compose.yaml is not pinned to a version"
    hint = "name a version tag (postgres:15.18-bookworm) or a digest (image@sha256:...)"
    what = (
        f"Checks that `{COMPOSE}`, where the project has one, is a YAML mapping whose services "
        "each name their `image` by a version tag with at least a minor version, or by digest; "
        "services built from the project (`build:`) need none. A project without the file passes."
    )
    why = (
        "The tracking server decides how runs, metrics and models are stored: `latest` or a bare "
        "major version moves to another release on the next pull, with another schema and "
        "behaviour, and the team's runs are then recorded by a server no one chose."
    )
    example = "`image: postgres:latest` or `image: ghcr.io/mlflow/mlflow` in compose.yaml."
    use_instead = "`image: postgres:15.18-bookworm`, `image: ghcr.io/mlflow/mlflow:v3.17.2-full`."

    def check(self, project: Path, package: str) -> list[Finding]:
        import yaml

        text = read(project, COMPOSE)
        if text is None:
            return []
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            return [self.finding(COMPOSE, f"{COMPOSE} is not valid YAML")]
        services = data.get("services") if isinstance(data, dict) else None
        if not isinstance(services, dict):
            return [self.finding(COMPOSE, f"{COMPOSE} has no services mapping")]
        return [
            self.finding(COMPOSE, f"service {name!r}: {problem}", _line(text, name))
            for name, service in services.items()
            if (problem := _problem(service)) is not None
        ]


def _problem(service: object) -> str | None:
    if not isinstance(service, dict):
        return "is not a mapping"
    image = service.get("image")
    if image is None:
        return None if "build" in service else "has neither an image nor a build"
    if not isinstance(image, str) or not _PINNED.match(image):
        return f"image {image!r} is not pinned to a version"
    return None


def _line(text: str, service: str) -> int:
    pattern = re.compile(rf"^\s+{re.escape(str(service))}\s*:")
    return next((n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)), 1)
