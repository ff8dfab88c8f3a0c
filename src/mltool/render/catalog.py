"""The bundled templates: where they live and what ``template.toml`` says about them.

A template is a folder ``templates/<name>/`` with a ``template.toml``, a ``CHANGELOG.rst`` and a
``project/`` layer. A layer is a cookiecutter directory: it holds one folder named
``{{cookiecutter.project_slug}}`` whose contents are rendered. ``extends`` names shared layers
under ``templates/_shared/`` that are rendered first, so templates share docs, workflows and
licences without copies; a template's own layer overrides a shared file of the same path.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from mltool.errors import TemplateNotFound

SHARED = "_shared"
DEFAULT_TEMPLATE = "mlflow-lightning"
ROOT_FOLDER = "{{cookiecutter.project_slug}}"
TEMPLATES_ENV = "MLTOOL_TEMPLATES"


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    version: str
    description: str
    libraries: tuple[str, ...]
    default_version: str
    layers: tuple[Path, ...]
    path: Path

    @property
    def changelog(self) -> Path:
        return self.path / "CHANGELOG.rst"

    def files(self) -> list[str]:
        """The paths the template generates, with answers shown as ``<name>`` placeholders."""
        found: set[str] = set()
        for layer in self.layers:
            root = layer / ROOT_FOLDER
            for path in root.rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:
                    found.add(_placeholders(path.relative_to(root).as_posix()))
        return sorted(found)


def templates_root() -> Path:
    """The folder of templates: ``MLTOOL_TEMPLATES`` when set (a folder laid out like the
    bundled ``templates/``, for template authors and tests), else ``mltool/templates`` inside an
    installed wheel, else ``templates/`` of a source checkout."""
    override = os.environ.get(TEMPLATES_ENV, "").strip()
    if override:
        return Path(override).expanduser().resolve()
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "templates"
    return packaged if packaged.is_dir() else here.parents[3] / "templates"


def available() -> tuple[Template, ...]:
    return _available(templates_root())


@cache
def _available(root: Path) -> tuple[Template, ...]:
    return tuple(
        _load(folder)
        for folder in sorted(root.iterdir())
        if (folder / "template.toml").is_file() and folder.name != SHARED
    )


def get(name: str) -> Template:
    for template in available():
        if template.name == name:
            return template
    raise TemplateNotFound(name, [t.name for t in available()])


def _load(folder: Path) -> Template:
    with (folder / "template.toml").open("rb") as stream:
        meta = tomllib.load(stream)
    shared = [folder.parent / SHARED / name for name in meta.get("extends", [])]
    return Template(
        name=meta["name"],
        version=meta["version"],
        description=meta["description"],
        libraries=tuple(meta.get("libraries", ())),
        default_version=meta.get("default_version", "0.1.0.dev0"),
        layers=(*shared, folder / "project"),
        path=folder,
    )


def _placeholders(path: str) -> str:
    return re.sub(r"\{\{\s*cookiecutter\.(\w+)\s*\}\}", r"<\1>", path)
