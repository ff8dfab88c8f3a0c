"""An MLflow project as verify sees it: its folder, name and entry points (from ``MLproject``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from mltool.errors import NotAnMlflowProject, UnknownEntryPoint, UsageError


@dataclass(frozen=True, slots=True)
class MlflowProject:
    root: Path
    name: str
    entry_points: tuple[str, ...]

    def require(self, entry_point: str) -> None:
        if entry_point not in self.entry_points:
            raise UnknownEntryPoint(entry_point, list(self.entry_points))


def load(path: Path) -> MlflowProject:
    root = path.resolve()
    candidates = [root / "MLproject", root / "mlproject"] if root.is_dir() else []
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise NotAnMlflowProject(str(path))
    try:
        document = yaml.safe_load(found.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(
            f"cannot read {found}: {type(exc).__name__}", "fix the MLproject file's YAML"
        ) from None
    if not isinstance(document, dict):
        raise UsageError(f"{found} is not a YAML mapping", "see MLflow's MLproject format")
    entry_points = document.get("entry_points") or {}
    names = tuple(str(name) for name in entry_points) if isinstance(entry_points, dict) else ()
    return MlflowProject(root, str(document.get("name") or root.name), names)


def tracking_uri(given: str | None, folder: Path) -> str:
    """``given``, else ``MLFLOW_TRACKING_URI``, else the SQLite store ``folder/mlflow.db``."""
    return given or os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{folder / 'mlflow.db'}"
