from __future__ import annotations

from collections import Counter
from pathlib import Path

from mltool.errors import MltoolError
from mltool.lint.contract import read
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule


class VersionMismatch(ProjectRule):
    code = "PRJ007"
    name = "version-mismatch"
    message = "files carry different versions of the project"
    hint = "set one version everywhere with `mltool bump-version <version>`"
    what = (
        "Checks that every place `[tool.mltool.bump-version]` names (pyproject.toml, "
        "`__init__.py`, docs/conf.py, ...) and the newest CHANGELOG.rst section carry the "
        "same version. Places that disagree with the most common version are reported."
    )
    why = (
        "The version is recorded with every run and every image; when files disagree, a "
        "run's recorded version no longer says which code produced it."
    )
    example = '`version = "0.2.0"` in pyproject.toml but `__version__ = "0.1.0"`.'
    use_instead = "One version, changed everywhere at once by `mltool bump-version`."

    def check(self, project: Path, package: str) -> list[Finding]:
        from mltool.bump.changelog import CHANGELOG, sections
        from mltool.bump.locations import find_versions

        try:
            places = [(o.path, o.line, o.column, o.version) for o in find_versions(project)]
        except MltoolError as exc:
            return [
                self.finding("pyproject.toml", f"cannot find the project's versions: {exc.message}")
            ]
        text = read(project, CHANGELOG)
        top = sections(text.splitlines()) if text else []
        if top:
            places.append((CHANGELOG, top[0].index + 1, 1, top[0].version))
        if not places:
            return []
        counts = Counter(version for *_, version in places)
        main = max(counts, key=lambda v: (counts[v], v == places[0][3]))
        return [
            self.finding(
                path, f"{path} says version {version}, other files say {main}", line, column
            )
            for path, line, column, version in places
            if version != main
        ]
