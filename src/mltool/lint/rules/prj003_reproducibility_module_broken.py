from __future__ import annotations

from pathlib import Path

from mltool.lint.contract import REPRODUCIBILITY, called_names, function, parse
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

_SEEDS = ("seed_everything", "manual_seed")
_STEPS = {
    "seeds every generator (seed_everything or torch.manual_seed)": _SEEDS,
    "calls torch.use_deterministic_algorithms(True)": ("use_deterministic_algorithms",),
    "sets CUBLAS_WORKSPACE_CONFIG": ("CUBLAS_WORKSPACE_CONFIG",),
}


class ReproducibilityModuleBroken(ProjectRule):
    code = "PRJ003"
    name = "reproducibility-module-broken"
    message = "the reproducibility module no longer does what training relies on"
    hint = "restore src/<package>/reproducibility.py from the template (`mltool sync`)"
    what = (
        "Checks that `src/<package>/reproducibility.py` parses and defines "
        "`enable_determinism(seed)`, which seeds every generator, calls "
        "`torch.use_deterministic_algorithms(True)` and sets `CUBLAS_WORKSPACE_CONFIG`."
    )
    why = (
        "`enable_determinism` is the one place that makes a run reproducible; when a step "
        "goes missing, runs still succeed but their results stop being repeatable."
    )
    example = (
        "An `enable_determinism` whose `torch.use_deterministic_algorithms(True)` was removed."
    )
    use_instead = "The module as the template writes it, extended rather than trimmed."

    def check(self, project: Path, package: str) -> list[Finding]:
        relative = REPRODUCIBILITY.format(package=package)
        if not (project / relative).is_file():
            return []  # PRJ001 reports the missing file
        tree = parse(project, relative)
        if tree is None:
            return [self.finding(relative, f"{relative} does not parse")]
        definition = function(tree, "enable_determinism")
        if definition is None or not definition.args.args:
            return [self.finding(relative, "enable_determinism(seed) is not defined")]
        calls = called_names(definition)
        source = (project / relative).read_text(encoding="utf-8")
        missing = [
            step
            for step, names in _STEPS.items()
            if not any(c.endswith(names) for c in calls)
            and not (names == ("CUBLAS_WORKSPACE_CONFIG",) and names[0] in source)
        ]
        return [
            self.finding(
                relative,
                f"enable_determinism no longer {step}",
                definition.lineno,
                definition.col_offset + 1,
            )
            for step in missing
        ]
