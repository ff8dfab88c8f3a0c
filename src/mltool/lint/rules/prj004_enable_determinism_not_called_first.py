from __future__ import annotations

import ast
from pathlib import Path

from mltool.lint.contract import TRAIN, called_names, parse
from mltool.lint.model import Finding
from mltool.lint.rule import ProjectRule

_TOO_EARLY = ("Trainer", "fit", "DataLoader", "seed_everything", "manual_seed")


class EnableDeterminismNotCalledFirst(ProjectRule):
    code = "PRJ004"
    name = "enable-determinism-not-called-first"
    message = "the training entry point does not call enable_determinism before training"
    hint = "call enable_determinism(config.seed) right after parsing the arguments in main()"
    what = (
        "Checks that `src/<package>/train.py` calls `enable_determinism(...)` in `main`, "
        "before any statement that builds a `Trainer`, a `DataLoader`, a model or data "
        "module (a call to a capitalised name) or calls `.fit`."
    )
    why = (
        "Seeds and deterministic kernels must be in place before anything draws a random "
        "number or touches CUDA; afterwards they come too late for what was already built."
    )
    example = "`main()` that builds the model first and calls `enable_determinism` afterwards."
    use_instead = (
        "`config = parse_args(argv)` then `enable_determinism(config.seed)` then the rest."
    )

    def check(self, project: Path, package: str) -> list[Finding]:
        relative = TRAIN.format(package=package)
        tree = parse(project, relative)
        if tree is None:
            return []  # PRJ001 reports a missing file, LNT001 one that does not parse
        main = next(
            (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"), None
        )
        if main is None:
            return [self.finding(relative, f"{relative} defines no main() entry point")]
        for statement in main.body:
            names = called_names(statement)
            if any(n.rpartition(".")[2] == "enable_determinism" for n in names):
                return []
            early = next((n for n in names if _too_early(n)), None)
            if early is not None:
                return [
                    self.finding(
                        relative,
                        f"main() calls {early}() before enable_determinism()",
                        statement.lineno,
                        statement.col_offset + 1,
                    )
                ]
        return [
            self.finding(
                relative,
                "main() never calls enable_determinism()",
                main.lineno,
                main.col_offset + 1,
            )
        ]


def _too_early(name: str) -> bool:
    last = name.rpartition(".")[2]
    return last in _TOO_EARLY or last[:1].isupper()
