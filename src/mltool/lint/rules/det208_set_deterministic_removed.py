from __future__ import annotations

import ast

from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class SetDeterministicRemoved(Rule):
    code = "DET208"
    name = "set-deterministic-removed"
    training_config = True
    message = "torch.set_deterministic was removed in torch 2: it switches nothing on"
    hint = "call torch.use_deterministic_algorithms(True)"
    what = "Flags `torch.set_deterministic(...)`, the torch 1.7 spelling of the switch."
    why = (
        "torch 1.8 renamed it to `torch.use_deterministic_algorithms` and torch 2 removed the "
        "old name: the call fails with AttributeError, or, guarded by `hasattr`, silently "
        "enables nothing."
    )
    valid = ("import torch\ntorch.use_deterministic_algorithms(True)\n",)
    invalid = (("import torch\ntorch.set_deterministic(True)\n", 2),)
    calls = frozenset({"torch.set_deterministic"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        ctx.report(self, call)
