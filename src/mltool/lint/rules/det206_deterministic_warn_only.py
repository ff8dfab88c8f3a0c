from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class DeterministicWarnOnly(Rule):
    code = "DET206"
    name = "deterministic-warn-only"
    training_config = True
    severity = "warning"
    message = "warn-only mode still runs non-deterministic kernels"
    hint = (
        "use torch.use_deterministic_algorithms(True) (warn_only=False) "
        "or Trainer(deterministic=True)"
    )
    what = (
        "Flags `torch.use_deterministic_algorithms(True, warn_only=True)`, "
        "`torch.set_deterministic_debug_mode(1)` / `('warn')` and Lightning's "
        '`Trainer(deterministic="warn")`.'
    )
    why = (
        "In warn-only mode an operation without a deterministic kernel warns and runs "
        "anyway; flash and memory-efficient attention backward also stay non-deterministic "
        "unless `warn_only=False`."
    )
    valid = ("import torch\ntorch.use_deterministic_algorithms(True)\n",)
    invalid = (
        ("import torch\ntorch.use_deterministic_algorithms(True, warn_only=True)\n", 2),
        ("from lightning import Trainer\ntrainer = Trainer(deterministic='warn')\n", 2),
    )
    calls = frozenset(
        {
            "torch.use_deterministic_algorithms",
            "torch.set_deterministic_debug_mode",
            "lightning.pytorch.Trainer",
        }
    )

    config_keys = frozenset({("trainer", "deterministic")})
    yaml_invalid = (("_target_: pytorch_lightning.Trainer\ndeterministic: warn\n", 2),)

    def check_config(self, section: str, key: str, value: object) -> str | None:
        return f"trainer deterministic: warn: {self.message}" if value == "warn" else None

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name.endswith("Trainer"):
            warn = args.value(call, None, "deterministic") == "warn"
        elif name.endswith("use_deterministic_algorithms"):
            warn = args.value(call, None, "warn_only") is True
        else:
            warn = args.value(call, 0, "debug_mode") in (1, "warn")
        if warn:
            ctx.report(self, call)
