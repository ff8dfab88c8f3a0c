from __future__ import annotations

import os
import re
from pathlib import Path

from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

_MARKER = re.compile(
    r"\{\{-?\s*cookiecutter\.|\{%-?\s*(if|endif|for|endfor|raw|endraw|set|else|elif)\b"
)
_SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "mlruns",
    "checkpoints",
    "lightning_logs",
    "__pycache__",
    "_build",
    ".mltool-cache",
}
_MAX_BYTES = 1024 * 1024


class UnrenderedTemplateMarker(ProjectRule):
    code = "PRJ008"
    name = "unrendered-template-marker"
    message = "a template marker was left unrendered"
    hint = "replace it with the value it stands for (see .mltool.yml for the answers)"
    what = (
        "Looks through the project's text files for cookiecutter / Jinja markers that "
        "should have been rendered: `{{ cookiecutter.<name> }}` and `{% if %}`-style tags."
    )
    why = (
        "A leftover marker is a placeholder in place of a real name or setting: a package "
        "that does not import, a workflow that runs the wrong thing."
    )
    example = "`name: {{ cookiecutter.project_slug }}` left in MLproject."
    use_instead = "`name: digits`."

    def check(self, project: Path, package: str) -> list[Finding]:
        findings = []
        for directory, dirs, files in os.walk(project):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
            for name in sorted(files):
                path = Path(directory, name)
                findings += self._scan(path, path.relative_to(project).as_posix())
        return findings

    def _scan(self, path: Path, relative: str) -> list[Finding]:
        try:
            if path.is_symlink() or path.stat().st_size > _MAX_BYTES:
                return []
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        if "{{" not in text and "{%" not in text:
            return []
        return [
            self.finding(
                relative,
                f"unrendered template marker {match.group(0)!r}",
                number,
                match.start() + 1,
            )
            for number, line in enumerate(text.splitlines(), 1)
            for match in _MARKER.finditer(line)
        ]
