"""Which torch version a project is judged against: its pin (or, for a range such as
``torch>=2.13`` or ``torch~=2.13``, the lowest version it allows), else the installed torch,
else the newest version lint knows. Never imports torch."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

from mltool.lint.knowledge import NEWEST_KNOWN
from mltool.lint.model import TorchAssumption

_REQUIREMENTS = ("requirements.lock", "requirements.txt")
#: a requirement line naming torch (conda spells it pytorch, and pins with one ``=``)
_LINE = re.compile(r"^\s*-?\s*(?:py)?torch\b[^\n#]*", re.M)


def assume(root: Path, configured: str | None = None) -> TorchAssumption:
    if configured:
        return TorchAssumption(configured, "set by torch-version in [tool.mltool.lint]")
    for source, text in _pin_sources(root):
        for line in _LINE.findall(text):
            judged = _lowest(line.strip().lstrip("-").strip())
            if judged is not None:
                version, spec = judged
                if spec.startswith("=="):
                    return TorchAssumption(version, f"pinned in {source}")
                return TorchAssumption(version, f"the lowest that torch{spec} in {source} allows")
    try:
        return TorchAssumption(metadata.version("torch").split("+")[0], "the installed torch")
    except metadata.PackageNotFoundError:
        return TorchAssumption(
            NEWEST_KNOWN, "the newest torch mltool knows: nothing pins torch and none is installed"
        )


def _lowest(line: str) -> tuple[str, str] | None:
    """The lowest version a requirement allows and its specifier text, or None when it has
    no lower bound (``torch``, ``torch<3``)."""
    line = re.sub(r"^pytorch", "torch", line)
    line = re.sub(r"^torch\s*=\s*(?=\d)", "torch==", line)  # conda: pytorch=2.1
    try:
        requirement = Requirement(line)
    except InvalidRequirement:
        return None
    if requirement.name.lower() != "torch":
        return None
    lowest: Version | None = None
    for spec in requirement.specifier:
        if spec.operator not in ("==", "===", ">=", "~=", ">"):
            continue
        try:
            version = Version(spec.version.replace(".*", ""))
        except InvalidVersion:
            continue
        if spec.operator in ("==", "===") and not spec.version.endswith(".*"):
            return str(version.public), f"=={version.public}"
        if lowest is None or version > lowest:
            lowest = version
    if lowest is None:
        return None
    return _release(lowest), str(requirement.specifier)


def _release(version: Version) -> str:
    return ".".join(str(p) for p in version.release)


def _pin_sources(root: Path) -> list[tuple[str, str]]:
    names = [*_REQUIREMENTS, *sorted(p.name for p in root.glob("requirements*.txt"))]
    sources = [(name, _read(root / name)) for name in dict.fromkeys(names)]
    sources.append(("pyproject.toml", "\n".join(_pyproject_dependencies(root))))
    sources.append(("python_env.yaml", _read(root / "python_env.yaml")))
    sources.append(("environment.yml", _read(root / "environment.yml")))
    sources.append(("setup.cfg", _read(root / "setup.cfg")))
    return sources


def _pyproject_dependencies(root: Path) -> list[str]:
    try:
        data = tomllib.loads(_read(root / "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        return []
    project = data.get("project", {})
    found: list[str] = []
    dependencies = project.get("dependencies", [])
    if isinstance(dependencies, list):
        found += [d for d in dependencies if isinstance(d, str)]
    optional = project.get("optional-dependencies", {})
    if isinstance(optional, dict):
        for group in optional.values():
            if isinstance(group, list):
                found += [d for d in group if isinstance(d, str)]
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
