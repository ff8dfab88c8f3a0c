from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_AUTOTUNE = ("max-autotune", "max-autotune-no-cudagraphs")
#: keywords of nn.Module.compile / torch.compile; Keras' model.compile(optimizer=...) differs
_COMPILE_KEYWORDS = frozenset({"mode", "fullgraph", "dynamic", "backend", "options", "disable"})


class TorchCompile(Rule):
    code = "DET121"
    name = "torch-compile"
    severity = "warning"
    message = "compiled training is never bit-identical to eager training"
    hint = (
        "train eager when results must match bit for bit; if you compile, never use "
        "max-autotune, and compare compiled runs only with compiled runs"
    )
    what = (
        "Flags `torch.compile(...)` and `model.compile()` on a torch module. "
        '`mode="max-autotune"` (or `max-autotune-no-cudagraphs`, or `options={'
        '"max_autotune": True}`) is an error; other uses are warnings. Entry scripts from '
        "which no training is reachable (sampling, export, benchmarks of inference) are "
        "not flagged."
    )
    why = (
        "Inductor fuses and reorders floating-point operations, so compiled weights differ "
        "from eager ones even with dropout off. Max-autotune picks kernels by timing them, "
        "so two runs (or two machines, with the autotune cache cold) can pick different "
        "kernels and give different bits."
    )
    valid = (
        "import torch\nmodel = Net()\nout = model(x)\n",
        "import re\npattern = re.compile('[a-z]+')\n",
        "import torch\nmodel.compile(optimizer='adam', loss='mse')\n",
        "import torch\n\nif __name__ == '__main__':\n    model = torch.compile(load(path))\n"
        "    print(model.generate(prompt))\n",
    )
    invalid = (
        ("import torch\nmodel = torch.compile(model)\n", 2),
        ("import torch\nmodel = torch.compile(model, mode='max-autotune')\n", 2),
        (
            "import torch\n\ndef build(model):\n    model.compile(mode='reduce-overhead')\n"
            "    return model\n",
            4,
        ),
    )
    calls = frozenset({"torch.compile"})
    training_config = True  # compiled inference is no training to reproduce
    methods = frozenset({"compile"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        method = "." not in name
        if method and (call.args or any(k.arg not in _COMPILE_KEYWORDS for k in call.keywords)):
            return  # not nn.Module.compile
        shown = "torch.compile()" if not method else "Module.compile()"
        mode = args.value(call, None, "mode")
        options = args.argument(call, None, "options")
        autotune = mode in _AUTOTUNE or _autotune_option(options)
        if autotune:
            ctx.report(
                self,
                call,
                f"{shown} with max-autotune picks kernels by timing: runs can differ in bits",
                "error",
            )
        elif mode is args.UNKNOWN:
            ctx.report(self, call, f"{shown} with a mode that is not a literal: {self.message}")
        else:
            ctx.report(self, call, f"{shown}: {self.message}")


def _autotune_option(options: ast.expr | None) -> bool:
    if not isinstance(options, ast.Dict):
        return False
    return any(
        isinstance(k, ast.Constant) and k.value == "max_autotune" and args.literal(v) is True
        for k, v in zip(options.keys, options.values, strict=True)
    )
