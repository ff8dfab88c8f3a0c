from __future__ import annotations

import ast

from mltool.lint import facts
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class DeterministicAlgorithmsNotEnabled(Rule):
    code = "DET203"
    name = "deterministic-algorithms-not-enabled"
    message = "this entry point trains, but no linted file switches deterministic algorithms on"
    hint = (
        "call torch.use_deterministic_algorithms(True) first thing (the project's "
        "enable_determinism does), or pass Trainer(deterministic=True)"
    )
    what = (
        'Flags a script that trains (it has an `if __name__ == "__main__":` block and '
        "calls `.fit(...)`) when no linted file calls "
        "`torch.use_deterministic_algorithms(True)`, `torch.set_deterministic_debug_mode` "
        "with a non-zero mode, or passes `Trainer(deterministic=True)`."
    )
    why = (
        "Without the flag torch silently runs non-deterministic kernels (atomics in "
        "scatter/index operations, cuDNN algorithm choice) and no operation raises to tell "
        "you."
    )
    valid = (
        "import torch\n\ndef main():\n    torch.use_deterministic_algorithms(True)\n"
        "    trainer.fit(model)\n\nif __name__ == '__main__':\n    main()\n",
        "def fit_all(models):\n    for m in models:\n        m.fit(data)\n",
    )
    invalid = (
        ("def main():\n    trainer.fit(model)\n\nif __name__ == '__main__':\n    main()\n", 2),
    )
    nodes = (ast.If, ast.Call)
    words = frozenset({"fit", "__main__"})

    def __init__(self) -> None:
        self.is_main = False
        self.fit: ast.Call | None = None

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        if isinstance(node, ast.If):
            self.is_main = self.is_main or _is_main_guard(node.test)
        elif self.fit is None:
            func = node.func  # type: ignore[attr-defined]
            if isinstance(func, ast.Attribute) and func.attr == "fit":
                self.fit = node  # type: ignore[assignment]

    def finish(self, ctx: FileContext) -> None:
        if self.is_main and self.fit is not None:
            ctx.report_unless(facts.DETERMINISTIC, self, self.fit)


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )
