from __future__ import annotations

import ast

from mltool.lint import args, callers
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

#: albumentations pipelines, and where ``seed`` is passed positionally (None: no such
#: parameter, ``ReplayCompose`` takes none)
_PIPELINES: dict[str, int | None] = {
    "albumentations.Compose": 8,
    "albumentations.core.composition.Compose": 8,
    "albumentations.ReplayCompose": None,
    "albumentations.core.composition.ReplayCompose": None,
}
#: transforms applied the same way every time when their ``p`` is left at its default of 1
_FIXED = frozenset(
    {
        "Resize", "Normalize", "ToTensorV2", "PadIfNeeded", "CenterCrop", "Crop",
        "LongestMaxSize", "SmallestMaxSize", "ToFloat", "FromFloat", "ToRGB", "NoOp", "Lambda",
    }
)  # fmt: skip


class AugmentationPipelineUnseeded(Rule):
    code = "DET311"
    name = "augmentation-pipeline-unseeded"
    about_runs = True
    message = "albumentations pipeline without seed= draws its augmentations from OS entropy"
    hint = (
        "pass the run's seed: A.Compose([...], seed=seed), or call "
        "pipeline.set_random_seed(seed) (albumentations 1.4.21 and later)"
    )
    what = (
        "Flags `albumentations.Compose(...)` without `seed=` and `ReplayCompose(...)` (which "
        "takes no seed) whose transforms may be random: any but a literal list of transforms "
        "that are applied every time (`Resize`, `Normalize`, `ToTensorV2`, `CenterCrop`, "
        "`PadIfNeeded`, `Lambda`, ... with `p` left at 1). A pipeline nested in another "
        "follows the outer one's seed and is judged with it. Not flagged when the file calls "
        "`set_random_seed(...)` on a pipeline, or passes `**kwargs` that may hold the seed."
    )
    why = (
        "Since albumentations 1.4.21 each pipeline draws from its own generators, made from "
        "its `seed`: the global seeds (`random.seed`, `np.random.seed`, `seed_everything`) "
        "no longer reach it, so without a seed every run augments differently."
    )
    valid = (
        "import albumentations as A\n"
        "train_tf = A.Compose([A.RandomCrop(224, 224), A.HorizontalFlip()], seed=args.seed)\n",
        "import albumentations as A\nfrom albumentations.pytorch import ToTensorV2\n"
        "val_tf = A.Compose([A.Resize(224, 224), A.Normalize(), ToTensorV2()])\n",
        "import albumentations as A\ntf = A.ReplayCompose([A.HorizontalFlip()])\n"
        "tf.set_random_seed(seed)\n",
    )
    invalid = (
        (
            "import albumentations as A\ntf = A.Compose([A.RandomCrop(224, 224), A.Normalize()])\n",
            2,
        ),
        ("from albumentations import Compose, Resize\ntf = Compose([Resize(64, 64, p=0.5)])\n", 2),
        ("import albumentations as A\n\ndef transforms(augs):\n    return A.Compose(augs)\n", 4),
        (
            "import albumentations as A\ntf = A.Compose(\n    [A.Compose([A.Resize(8, 8)], p=0.2), "
            "A.OneOf([A.Blur(), A.HorizontalFlip()])]\n)\n",
            2,
        ),
    )
    calls = frozenset(_PIPELINES)

    def __init__(self) -> None:
        self.nested: set[int] = set()  # ids of calls inside a pipeline met before (pre-order)

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        if id(call) in self.nested:
            return
        self.nested.update(id(n) for a in call.args for n in ast.walk(a))
        position = _PIPELINES[name]
        if position is not None and args.argument(call, position, "seed") is not None:
            return
        if any(k.arg is None for k in call.keywords) or "set_random_seed(" in ctx.source:
            return
        if _fixed(args.argument(call, 0, "transforms"), ctx):
            return
        if callers.owner(call, ctx) is not callers.Owner.NOBODY:
            shown = name.rpartition(".")[2]
            ctx.report(
                self, call, f"{shown}() without seed= draws its augmentations from OS entropy"
            )


def _fixed(transforms: ast.expr | None, ctx: FileContext) -> bool:
    """A literal list of transforms that are applied every time."""
    if not isinstance(transforms, ast.List | ast.Tuple):
        return False
    return all(_applied_every_time(t, ctx) for t in transforms.elts)


def _applied_every_time(transform: ast.expr, ctx: FileContext) -> bool:
    if not isinstance(transform, ast.Call):
        return False
    name = ctx.resolve(transform.func) or ""
    if not name.startswith("albumentations.") or name.rpartition(".")[2] not in _FIXED:
        return False
    p = args.value(transform, None, "p")
    return p is args.MISSING or p == 1
