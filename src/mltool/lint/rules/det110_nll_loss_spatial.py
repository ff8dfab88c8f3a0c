from __future__ import annotations

import ast
import re

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.ops import NN, RAISES, F, report_op, short
from mltool.lint.rule import Rule

_FACTORIES = frozenset({"torch.randn", "torch.rand", "torch.zeros", "torch.ones", "torch.empty"})
#: where ``ignore_index`` and ``reduction`` are passed positionally, per callable
_POSITIONS = {
    F + "nll_loss": (4, 6),
    F + "cross_entropy": (4, 6),
    NN + "NLLLoss": (2, 4),
    NN + "CrossEntropyLoss": (2, 4),
}
#: library losses that take cross entropy over every pixel or voxel of a segmentation
_SEGMENTATION_LOSSES = frozenset({"monai.losses.DiceCELoss", "monai.losses.dice.DiceCELoss"})
#: methods and functions whose result has the same dimensions as fewer than 3 (flattened)
_FLATTENING = frozenset({"view", "reshape", "flatten"})
#: the label segmentation data sets (VOC, Cityscapes) give pixels to ignore
_VOID_LABEL = 255
_SEGMENTATION_NAME = frozenset({"mask", "masks", "seg", "segs", "segmentation", "semantic"})
_SEGMENTATION_MODULE = re.compile(r"(^|\.)(segmentation\w*|mmseg|semseg)(\.|$)")
_SEGMENTATION_CODE = re.compile(
    r"\b\w+\.segmentation\.\w+|\b(UNet|Unet|UNetPlusPlus|DeepLab\w*|PSPNet|SegNet|"
    r"Seg[Ff]ormer\w*|LRASPP\w*)\("
)
_MAY_RAISE = RAISES.replace("raises", "may raise", 1)


class NllLossSpatial(Rule):
    code = "DET110"
    name = "nll-loss-spatial"
    cuda_only = True
    message = "NLL loss on inputs of 3 or more dimensions raises under deterministic algorithms"
    hint = (
        "flatten first: loss(logits.movedim(1, -1).reshape(-1, C), target.reshape(-1)), "
        "or use reduction='none' and take .mean()"
    )
    what = (
        "Flags `nn.NLLLoss2d`, and `F.nll_loss` / `F.cross_entropy` whose input is visibly "
        "3-D or more (a tensor factory with three or more sizes, `logits.transpose(1, 2)` "
        "of (N, L, C) sequence scores, a `.permute` of three or more dimensions), unless "
        "`reduction='none'`. "
        "Losses on segmentation outputs are a warning: `ignore_index=255` (the void label of "
        "segmentation masks), an input or target named for masks (`masks_pred`, `seg`), or "
        "`nn.CrossEntropyLoss` / `nn.NLLLoss` / the functional losses in a file that builds "
        "or imports a segmentation model (`torchvision.models.segmentation`, `UNet(...)`, "
        "`segmentation_models_pytorch`), and MONAI's `DiceCELoss`. An input flattened at "
        "the call (`.view`, `.reshape`, `.flatten`) and ordinary classification on 2-D "
        "logits are not flagged."
    )
    why = (
        "On inputs of 3 or more dimensions NLL loss (and cross entropy, which calls it) runs "
        "the `nll_loss2d` CUDA kernel, whose forward raises under "
        "`torch.use_deterministic_algorithms(True)` and sums with atomic adds without it. "
        "Segmentation logits are (N, C, H, W)."
    )
    valid = (
        "import torch.nn.functional as F\nloss = F.cross_entropy(logits, target)\n",
        "import torch\nimport torch.nn.functional as F\n"
        "loss = F.nll_loss(torch.randn(4, 3, 8, 8), t, reduction='none')\n",
        "import torch.nn.functional as F\n"
        "loss = F.cross_entropy(out.view(-1, out.size(-1)), masks.view(-1), ignore_index=255)\n",
        "import torch.nn.functional as F\nloss = F.cross_entropy(x.transpose(0, 1), y)\n",
        "from torch import nn\nfrom torchvision.models import resnet50\n"
        "model = resnet50()\nloss_fn = nn.CrossEntropyLoss()\n",
    )
    invalid = (
        (
            "import torch\nimport torch.nn.functional as F\n"
            "loss = F.cross_entropy(torch.randn(4, 3, 8, 8), target)\n",
            3,
        ),
        ("from torch import nn\nloss_fn = nn.NLLLoss2d()\n", 2),
        (
            "import torch.nn.functional as F\n"
            "loss = F.cross_entropy(scores.transpose(1, 2), labels, weight=class_weights)\n",
            2,
        ),
        ("from torch import nn\nloss = nn.functional.cross_entropy(x, y, ignore_index=255)\n", 2),
        ("import torch.nn.functional as F\nloss = F.cross_entropy(masks_pred, true_masks)\n", 2),
        (
            "import torchvision\nfrom torch import nn\n"
            "model = torchvision.models.segmentation.fcn_resnet50(num_classes=21)\n"
            "criterion = nn.CrossEntropyLoss()\n",
            4,
        ),
        (
            "from torch import nn\nfrom unet import UNet\n\nnet = UNet(n_classes=2)\n"
            "criterion = nn.CrossEntropyLoss(weight=class_weights)\n",
            5,
        ),
        ("from monai.losses import DiceCELoss\nloss_fn = DiceCELoss(to_onehot_y=True)\n", 2),
    )
    calls = frozenset({NN + "NLLLoss2d", *_POSITIONS, *_SEGMENTATION_LOSSES})

    def __init__(self) -> None:
        self.unproven: list[tuple[ast.Call, str]] = []  # no evidence at the call itself

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if name == NN + "NLLLoss2d":
            report_op(self, call, ctx, "nn.NLLLoss2d() forward")
            return
        if name in _SEGMENTATION_LOSSES:
            self._hedged(call, f"MONAI {name.rpartition('.')[2]}() (cross entropy per voxel)", ctx)
            return
        ignore_at, reduction_at = _POSITIONS[name]
        if args.value(call, reduction_at, "reduction") == "none":
            return
        shown = f"{short(name)}()"
        if name.startswith(F):
            data = args.argument(call, 0, "input")
            if isinstance(data, ast.Call) and ctx.resolve(data.func) in _FACTORIES:
                if _dims(data) >= 3:
                    report_op(self, call, ctx, f"{shown} on a {_dims(data)}-D input")
                return
            if data is None or _flattened(data):
                return
            dims = _reordered_dims(data)
            if dims >= 3:
                shown_data = ast.unparse(data)
                report_op(self, call, ctx, f"{shown} on a {dims}-D or larger input ({shown_data})")
                return
            named = _named_for_masks(data, args.argument(call, 1, "target"))
            if named:
                self._hedged(call, f"{shown} with {named}", ctx)
                return
        if args.value(call, ignore_at, "ignore_index") == _VOID_LABEL:
            self._hedged(call, f"{shown} with ignore_index=255 (the void label of masks)", ctx)
            return
        self.unproven.append((call, shown))

    def finish(self, ctx: FileContext) -> None:
        evidence = _segmentation_evidence(ctx) if self.unproven else None
        if evidence is None:
            return
        for call, shown in self.unproven:
            self._hedged(call, f"{shown} in a file that {evidence}", ctx)

    def _hedged(self, call: ast.Call, what: str, ctx: FileContext) -> None:
        message = f"{what}: on (N, C, H, W) segmentation logits it {_MAY_RAISE}"
        ctx.report(self, call, message + ctx.torch_note(), "warning")


def _dims(factory: ast.Call) -> int:
    if len(factory.args) == 1:
        size = args.literal(factory.args[0])
        if isinstance(size, (tuple, list)):
            return len(size)
    return len(factory.args)


def _reordered_dims(data: ast.expr) -> int:
    """How many dimensions at least a ``.transpose`` / ``.permute`` at the call shows:
    ``logits.transpose(1, 2)`` (class scores moved to dim 1 of (N, L, C)) has 3 or more,
    ``x.permute(0, 3, 1, 2)`` has 4; 0 when the input is no such call."""
    if not (isinstance(data, ast.Call) and isinstance(data.func, ast.Attribute)):
        return 0
    given = [args.literal(a) for a in data.args]
    if not all(isinstance(d, int) and not isinstance(d, bool) for d in given):
        return 0
    dims: list[int] = given  # type: ignore[assignment]
    if data.func.attr in ("transpose", "swapaxes", "swapdims") and len(dims) == 2:
        return max(max(dims) + 1, -min(dims))
    if data.func.attr == "permute":
        return len(dims)
    return 0


def _flattened(data: ast.expr) -> bool:
    """``logits.view(-1, C)``, ``x.reshape(...)``, ``x.flatten(0, 2)``: an input whose
    dimensions the call shows."""
    return (
        isinstance(data, ast.Call)
        and isinstance(data.func, ast.Attribute)
        and data.func.attr in _FLATTENING
    )


def _named_for_masks(data: ast.expr, target: ast.expr | None) -> str | None:
    """``input masks_pred`` or ``target self.seg``: the input or target, if one is named
    for segmentation masks."""
    for role, value in (("input", data), ("target", target)):
        name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", None)
        if isinstance(name, str) and _SEGMENTATION_NAME.intersection(name.lower().split("_")):
            return f"{role} {ast.unparse(value)}"  # type: ignore[arg-type]
    return None


def _segmentation_evidence(ctx: FileContext) -> str | None:
    """How the file shows it trains a segmentation model, e.g. ``builds UNet(...)``."""
    module = next((m for m in ctx.modules if _SEGMENTATION_MODULE.search(m)), None)
    if module is not None:
        return f"imports {module}"
    found = _SEGMENTATION_CODE.search(ctx.source)
    if found is None:
        return None
    text = found.group(0)
    return f"builds {text}...)" if text.endswith("(") else f"uses {text}"
