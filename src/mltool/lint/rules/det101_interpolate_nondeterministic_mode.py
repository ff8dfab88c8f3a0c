from __future__ import annotations

import ast

from mltool.lint import args, knowledge
from mltool.lint.context import FileContext
from mltool.lint.ops import NN, F, report_op, short
from mltool.lint.rule import Rule


class InterpolateNondeterministicMode(Rule):
    code = "DET101"
    name = "interpolate-nondeterministic-mode"
    backward_only = True
    cuda_only = True
    message = "interpolation mode raises under deterministic algorithms"
    hint = "use mode='nearest', or 'bilinear'/'trilinear' without antialias"
    what = (
        "Flags `F.interpolate`, `F.upsample` and `nn.Upsample` with a mode whose backward "
        "pass has no deterministic CUDA kernel: `linear`, `bilinear` or `bicubic` with "
        "`antialias=True`, and `bicubic` before torch 2.15."
    )
    why = (
        "Under `torch.use_deterministic_algorithms(True)` the backward pass raises a "
        "RuntimeError on CUDA; without it, gradients differ from run to run. Non-antialiased "
        "`bilinear` and `trilinear` use a deterministic decomposition and are not flagged, "
        "nor are `nearest` and `nearest-exact`."
    )
    valid = (
        "import torch.nn.functional as F\ny = F.interpolate(x, scale_factor=2, mode='nearest')\n",
        "import torch.nn.functional as F\ny = F.interpolate(x, scale_factor=2, mode='bilinear')\n",
        "def interpolate(x, mode):\n    return x\ny = interpolate(x, mode='linear')\n",
        "# F.interpolate(x, mode='linear')\ntext = \"F.interpolate(x, mode='linear')\"\n",
        "import torch.nn.functional as F\ny = F.interpolate(x.to('cpu'), size=8, mode='linear')\n",
        # a checkpoint's position embedding resized before training: it carries no gradient
        "import torch\nimport torch.nn.functional as F\n\ndef main(model, loader, opt):\n"
        "    ckpt = torch.load('vit.pt')\n"
        "    pos = ckpt['model']['pos_embed'].permute(0, 3, 1, 2)\n"
        "    ckpt['model']['pos_embed'] = F.interpolate(pos, size=(16, 16), mode='bicubic')\n"
        "    model.load_state_dict(ckpt['model'])\n    for x in loader:\n"
        "        model(x).sum().backward()\n        opt.step()\n",
    )
    invalid = (
        ("import torch.nn.functional as F\ny = F.interpolate(x, size=8, mode='linear')\n", 2),
        ("from torch import nn\nup = nn.Upsample(None, 2, 'linear')\n", 2),
        (
            "from torch.nn.functional import interpolate as resize\n"
            "y = resize(x, None, 2, 'bilinear', antialias=True)\n",
            2,
        ),
    )
    calls = frozenset({F + "interpolate", F + "upsample", NN + "Upsample"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        module = name == NN + "Upsample"
        mode = args.value(call, 2 if module else 3, "mode")
        mode = "nearest" if mode is args.MISSING else mode
        antialias = False if module else args.value(call, 6, "antialias")
        what = f"{short(name)}(mode={mode!r}"
        if mode == "linear":
            report_op(self, call, ctx, what + ") backward")
        elif mode in ("bilinear", "bicubic") and antialias is True:
            report_op(self, call, ctx, what + ", antialias=True) backward")
        elif mode == "bicubic" and knowledge.nondeterministic(
            "interpolate-bicubic", ctx.torch.version
        ):
            report_op(self, call, ctx, what + ") backward")
