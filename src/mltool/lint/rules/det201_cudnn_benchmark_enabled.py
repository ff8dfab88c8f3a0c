from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import stored_flags
from mltool.lint.rule import Rule

_FLAG = "torch.backends.cudnn.benchmark"


class CudnnBenchmarkEnabled(Rule):
    code = "DET201"
    name = "cudnn-benchmark-enabled"
    training_config = True
    message = "cuDNN benchmark mode picks convolution algorithms by timing, differently per run"
    hint = "leave torch.backends.cudnn.benchmark False (Trainer(deterministic=True) does)"
    what = (
        "Flags `torch.backends.cudnn.benchmark = True` (and, as a warning, any value that is "
        "not a literal: `torch.cuda.is_available()`, `args.benchmark`), "
        "`torch.backends.cudnn.flags("
        "benchmark=True)`, `set_flags(_benchmark=True)` and Lightning's "
        "`Trainer(benchmark=True)`."
    )
    why = (
        "Benchmark mode times several convolution algorithms and keeps the fastest; timing "
        "noise makes the choice, and so the numerics, differ between runs on the same machine."
    )
    valid = (
        "import torch\ntorch.backends.cudnn.benchmark = False\n",
        "import lightning as L\ntrainer = L.Trainer(deterministic=True)\n",
        "import torch\ntorch.backends.cudnn.benchmark = False\n"
        "torch.backends.cudnn.enabled = flag\n",
        "import torch\n\nclass Images(torch.utils.data.Dataset):\n    pass\n\n"
        "def extract(model, loader):\n    torch.backends.cudnn.benchmark = True\n"
        "    return [model(x) for x in loader]\n\nif __name__ == '__main__':\n"
        "    extract(model, loader)\n",
    )
    invalid = (
        ("import torch.backends.cudnn as cudnn\ncudnn.benchmark = True\n", 2),
        ("from pytorch_lightning import Trainer\ntrainer = Trainer(benchmark=True)\n", 2),
        ("import torch\ntorch.backends.cudnn.benchmark = torch.cuda.is_available()\n", 2),
        ("import torch\ntorch.backends.cudnn.benchmark = args.benchmark\n", 2),
    )
    calls = frozenset(
        {
            "torch.backends.cudnn.flags",
            "torch.backends.cudnn.set_flags",
            "lightning.pytorch.Trainer",
        }
    )
    nodes = (ast.Assign,)
    words = frozenset({"benchmark"})
    visit_needs = frozenset({"benchmark"})  # the flag assigned

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        assign: ast.Assign = node  # type: ignore[assignment]
        if _FLAG not in stored_flags(assign, ctx):
            return
        value = args.literal(assign.value)
        if value is True:
            ctx.report(self, assign, "torch.backends.cudnn.benchmark = True: " + self.message)
        elif value is args.UNKNOWN:
            shown = ast.unparse(assign.value)
            ctx.report(
                self,
                assign,
                f"torch.backends.cudnn.benchmark = {shown}: on wherever that is true; "
                + self.message,
                "warning",
            )

    config_keys = frozenset({("trainer", "benchmark")})
    yaml_valid = ("_target_: lightning.pytorch.Trainer\nbenchmark: false\n",)
    yaml_invalid = (("_target_: lightning.pytorch.Trainer\nmax_epochs: 10\nbenchmark: true\n", 3),)

    def check_config(self, section: str, key: str, value: object) -> str | None:
        return f"trainer benchmark: true: {self.message}" if value is True else None

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        keyword = "_benchmark" if name.endswith("set_flags") else "benchmark"
        if args.value(call, None, keyword) is True:
            shown = "Trainer" if name.endswith("Trainer") else name
            ctx.report(self, call, f"{shown}({keyword}=True): {self.message}")
