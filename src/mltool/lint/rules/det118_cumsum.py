from __future__ import annotations

import ast

from mltool.lint import knowledge, values
from mltool.lint.context import FileContext
from mltool.lint.ops import report_op, short
from mltool.lint.rule import Rule


class Cumsum(Rule):
    code = "DET118"
    name = "cumsum-before-2-15"
    cuda_only = True
    severity = "warning"
    message = "cumsum on floating-point CUDA tensors raises under deterministic algorithms"
    hint = "upgrade to torch 2.15 (deterministic scan), or compute the cumulative sum on CPU"
    what = (
        "Flags `torch.cumsum` and `Tensor.cumsum(_)` when the project is judged against a "
        "torch older than 2.15. Integer and boolean input (a `dtype=torch.long` factory, "
        "`.long()`, a comparison, `~mask`, `bincount`, `arange` of ints, `torch.tensor` "
        "of int or bool literals, the counts of "
        "`torch.unique(..., return_counts=True)`) and NumPy or pandas "
        "values (bound from `np.*` / `pd.*`, a `.numpy()` result, arithmetic on them, the "
        "parameters of a function that calls NumPy and never names torch nor calls a "
        "tensor-only method such as `.cuda()` / `.to()`) are not flagged. A warning "
        'that says "may" where the dtype cannot be seen.'
    )
    why = (
        "Before torch 2.15 the CUDA cumsum of floating-point or complex tensors raises under "
        "`torch.use_deterministic_algorithms(True)`."
    )
    valid = (
        "import numpy as np\ny = np.cumsum(x)\n",
        "import torch\nids = torch.randint(0, 100, (2, 8))\n"
        "positions = torch.cumsum(torch.ones(ids.size(), dtype=ids.dtype), dim=1)\n",
        "import torch\ny = x.cpu().cumsum(0).to(x.device)\n",
        "import torch\nlengths = torch.tensor([3, 4, 5])\noffsets = lengths.cumsum(0)\n",
        "import numpy as np\nimport torch\n\ndef f(v):\n    a = np.asarray(v)\n"
        "    return a.cumsum()\n",
        "import torch\n\ndef f(t):\n    return t.detach().cpu().numpy().cumsum(0)\n",
        "import torch\n\ndef lengths(mask):\n    return (mask > 0).cumsum(dim=1)\n",
        "import torch\n\ndef offsets(sizes):\n    return sizes.long().cumsum(0)\n",
        "import torch\n\ndef f(labels):\n    counts = torch.bincount(labels)\n"
        "    return counts.cumsum(0)\n",
        "import torch\n\ndef f(n):\n    keep = torch.zeros(n, dtype=torch.bool)\n"
        "    return torch.cumsum(~keep, 0)\n",
        "import torch\nidx = torch.arange(10).cumsum(0)\n",
        "import pandas as pd\nimport torch\ndf = pd.read_csv(path)\ntotal = df.cumsum()\n",
        "import numpy as np\nimport torch\n\ndef average_precision(tp, conf):\n"
        "    order = np.argsort(-conf)\n    tp = tp[order]\n    fp = (1 - tp).cumsum(0)\n"
        "    return tp.cumsum(0) / np.maximum(tp.cumsum(0) + fp, 1)\n",
        "import torch\n\ndef ends(widths):\n"
        "    return torch.cumsum(torch.unique_consecutive(widths, return_counts=True)[1], 0)\n",
    )
    invalid = (
        ("import torch\ny = torch.cumsum(x, dim=0)\n", 2),
        ("import torch\nw = torch.tensor([0.5, 1, 2])\ntotal = w.cumsum(0)\n", 3),
        ("import torch\n\ndef f(p):\n    return p.float().cumsum(-1)\n", 4),
        (
            "import numpy as np\nimport torch\n\ndef weights(p, n):\n"
            "    scale = np.sqrt(n)\n    return p.to(p.device).cumsum(0) / scale\n",
            6,
        ),
    )
    calls = frozenset({"torch.cumsum"})
    methods = frozenset({"cumsum", "cumsum_"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if not knowledge.nondeterministic("cumsum", ctx.torch.version):
            return
        operand = call.args[0] if call.args else None
        if isinstance(call.func, ast.Attribute) and "." not in name:
            operand = call.func.value  # x.cumsum(0): the receiver
        kind = values.kind(operand, ctx)
        if kind is values.Kind.INTEGER or kind.not_a_tensor:
            return  # integer and boolean scans are deterministic
        shown = f"{short(name)}()"
        if kind is values.Kind.FLOATING:
            report_op(self, call, ctx, f"{shown} on floating-point input")
            return
        ctx.report(
            self,
            call,
            f"{shown} may raise under torch.use_deterministic_algorithms(True) on CUDA "
            f"(when its input is floating-point){ctx.torch_note()}",
        )
