from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import stored_flags
from mltool.lint.rule import Rule

_CUDNN = "torch.backends.cudnn.deterministic"


class DeterministicAlgorithmsDisabled(Rule):
    code = "DET202"
    name = "deterministic-algorithms-disabled"
    training_config = True
    message = "deterministic algorithms are switched off"
    hint = "call torch.use_deterministic_algorithms(True) and pass Trainer(deterministic=True)"
    what = (
        "Flags `torch.use_deterministic_algorithms(False)`, "
        "`torch.set_deterministic_debug_mode(0)`, `torch.backends.cudnn.deterministic = "
        "False` and Lightning's `Trainer(deterministic=False)`."
    )
    why = (
        "Each switches non-deterministic kernels back on. `Trainer(deterministic=False)` "
        "actively turns off a flag set earlier, for example by the project's "
        "reproducibility module."
    )
    valid = (
        "import torch\ntorch.use_deterministic_algorithms(True)\n",
        "from lightning.pytorch import Trainer\ntrainer = Trainer(max_epochs=1)\n",
    )
    invalid = (
        ("import torch\ntorch.use_deterministic_algorithms(False)\n", 2),
        ("import lightning.pytorch as pl\ntrainer = pl.Trainer(deterministic=False)\n", 2),
        ("import torch\ntorch.backends.cudnn.deterministic = False\n", 2),
    )
    calls = frozenset(
        {
            "torch.use_deterministic_algorithms",
            "torch.set_deterministic_debug_mode",
            "lightning.pytorch.Trainer",
        }
    )
    nodes = (ast.Assign,)
    words = frozenset({"deterministic"})
    visit_needs = frozenset({"deterministic"})  # the flag assigned

    config_keys = frozenset({("trainer", "deterministic")})
    yaml_valid = ("_target_: lightning.pytorch.Trainer\ndeterministic: true\n",)
    yaml_invalid = (
        ("_target_: lightning.pytorch.Trainer\ndeterministic: false\n", 2),
        ("defaults:\n  - default\naccelerator: gpu\ndeterministic: null\n", 4),
    )

    def check_config(self, section: str, key: str, value: object) -> str | None:
        if value is False:
            return f"trainer deterministic: false: {self.message}"
        if value is None:
            return "trainer deterministic: null leaves deterministic algorithms off"
        return None

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        assign: ast.Assign = node  # type: ignore[assignment]
        if _CUDNN in stored_flags(assign, ctx) and args.literal(assign.value) is False:
            ctx.report(self, assign, f"{_CUDNN} = False: {self.message}")

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name.endswith("Trainer"):
            off = args.value(call, None, "deterministic") is False
            shown = "Trainer(deterministic=False)"
        elif name.endswith("use_deterministic_algorithms"):
            off = args.value(call, 0, "mode") is False
            shown = f"{name}(False)"
        else:
            off = args.value(call, 0, "debug_mode") in (0, "default")
            shown = f"{name}(0)"
        if off:
            ctx.report(self, call, f"{shown}: {self.message}")
