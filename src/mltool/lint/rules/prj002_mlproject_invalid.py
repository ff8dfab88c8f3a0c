from __future__ import annotations

import re
from pathlib import Path

from mltool.lint.contract import read
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

_MODULE = re.compile(r"python[0-9.]*\s+-m\s+([\w.]+)")
_SCRIPT = re.compile(r"python[0-9.]*\s+([\w./-]+\.py)")


class MlprojectInvalid(ProjectRule):
    code = "PRJ002"
    name = "mlproject-invalid"
    message = "MLproject does not parse, or its entry point does not exist"
    hint = (
        "MLproject must be a YAML mapping whose entry_points.main.command runs an existing module"
    )
    what = (
        "Checks that `MLproject` is valid YAML with an `entry_points` mapping holding "
        "`main`, and that each entry point's command runs a module (`python -m pkg.train`, "
        "looked up under `src/`) or script that exists."
    )
    why = "`mlflow run .` is how runs are reproduced; a broken MLproject fails only at run time."
    example = "`command: python -m digits.training` after `train.py` was renamed."
    use_instead = "`command: python -m digits.train ...` naming the module that exists."

    def check(self, project: Path, package: str) -> list[Finding]:
        import yaml

        text = read(project, "MLproject")
        if text is None:
            return []  # PRJ001 reports the missing file
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
            return [self.finding("MLproject", f"MLproject is not valid YAML: {_first(exc)}", line)]
        entries = data.get("entry_points") if isinstance(data, dict) else None
        if not isinstance(entries, dict) or "main" not in entries:
            return [self.finding("MLproject", "MLproject has no entry_points.main")]
        return [
            f for name, entry in entries.items() for f in self._entry(project, text, name, entry)
        ]

    def _entry(self, project: Path, text: str, name: str, entry: object) -> list[Finding]:
        command = entry.get("command") if isinstance(entry, dict) else None
        if not isinstance(command, str):
            return [self.finding("MLproject", f"entry point {name!r} has no command")]
        module, script = _MODULE.search(command), _SCRIPT.search(command)
        if module:
            relative = "src/" + module.group(1).replace(".", "/")
            if not (
                (project / f"{relative}.py").is_file()
                or (project / relative / "__main__.py").is_file()
            ):
                return [
                    self.finding(
                        "MLproject",
                        f"entry point {name!r} runs module "
                        f"{module.group(1)}, which does not exist under src/",
                        _line(text, module.group(1)),
                    )
                ]
        elif script and not (project / script.group(1)).is_file():
            return [
                self.finding(
                    "MLproject",
                    f"entry point {name!r} runs {script.group(1)}, which does not exist",
                    _line(text, script.group(1)),
                )
            ]
        return []


def _first(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def _line(text: str, needle: str) -> int:
    return next((i for i, line in enumerate(text.splitlines(), 1) if needle in line), 1)
