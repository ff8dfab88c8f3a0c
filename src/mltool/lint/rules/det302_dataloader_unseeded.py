from __future__ import annotations

import ast
import re

from mltool.lint import args, callers, facts
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule
from mltool.lint.training import unmet_note

_LOADER = "torch.utils.data.DataLoader"
#: samplers that draw from torch's global generator unless given one: where ``generator`` is
#: passed positionally (None: the sampler takes no generator)
_SAMPLERS: dict[str, int | None] = {
    "torch.utils.data.RandomSampler": 3,
    "torch.utils.data.SubsetRandomSampler": 1,
    "torch.utils.data.WeightedRandomSampler": 3,
    "torchvision.datasets.samplers.RandomClipSampler": None,
}


class DataLoaderUnseeded(Rule):
    code = "DET302"
    name = "dataloader-unseeded"
    about_runs = True
    message = "data order or worker randomness comes from a torch generator nothing seeds"
    hint = (
        "seed torch before the loader is iterated (torch.manual_seed or seed_everything), or "
        "pass generator=torch.Generator().manual_seed(seed)"
    )
    what = (
        "Flags `DataLoader(shuffle=True)` (or a shuffle that is not a literal), "
        "`RandomSampler`, `SubsetRandomSampler`, `WeightedRandomSampler`, torchvision's "
        "`RandomClipSampler` (which takes no generator) and `DataLoader(num_workers=N)` "
        "(N > 0 or not a literal) without `generator=` when nothing that runs the code seeds "
        "torch, or seeds it only under a command-line option that is unset by default. "
        "Arguments passed as `**kwargs` from a dict built in the same function (a literal, "
        "`dict(...)`, `.update(...)` or item assignment) are read. With torch seeded these "
        "loaders are reproducible (workers are seeded from torch's generator), so they are "
        "not flagged. A `generator=torch.Generator()` that is never seeded is a warning: it "
        "is reproducible, but does not follow the run's seed. A loader that does not shuffle "
        "and is named for evaluation (`val_loader = DataLoader(...)`, returned by "
        "`test_dataloader()`) is left alone: evaluation data is seldom augmented."
    )
    why = (
        "Without a seed the shuffle order and the workers' base seed come from OS entropy: "
        "every run sees the data in a different order with different augmentations."
    )
    valid = (
        "import torch\nfrom torch.utils.data import DataLoader\n"
        "g = torch.Generator().manual_seed(0)\n"
        "loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, generator=g)\n",
        "from torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=8)\n",
        "import torch\nfrom torch.utils.data import DataLoader\ntorch.manual_seed(0)\n"
        "loader = DataLoader(ds, shuffle=True, num_workers=args.workers)\n",
        "from torch.utils.data import DataLoader\n"
        "test_loader = DataLoader(ds, shuffle=False, num_workers=4)\n",
        "from torch.utils.data import DataLoader\nval_loader = DataLoader(val_ds, num_workers=4)\n",
        "import lightning as L\nfrom torch.utils.data import DataLoader\n\n"
        "class Data(L.LightningDataModule):\n    def test_dataloader(self):\n"
        "        return DataLoader(self.test_set, batch_size=64, num_workers=4)\n",
        "import torch\nfrom torchvision.datasets.samplers import RandomClipSampler\n"
        "torch.manual_seed(0)\nsampler = RandomClipSampler(videos.video_clips, 5)\n",
        "import torch\nfrom torch.utils.data import SubsetRandomSampler\n"
        "sampler = SubsetRandomSampler(indices, torch.Generator().manual_seed(0))\n",
    )
    invalid = (
        ("from torch.utils.data import DataLoader\nloader = DataLoader(ds, 8, True)\n", 2),
        ("from torch.utils.data import DataLoader as DL\nloader = DL(ds, num_workers=4)\n", 2),
        (
            "from torch.utils.data import DataLoader\n"
            "loader = DataLoader(ds, shuffle=sampler is None, sampler=sampler)\n",
            2,
        ),
        (
            "from torch.utils.data import DataLoader\n\ndef loaders(ds):\n"
            "    kwargs = {'batch_size': 32}\n    kwargs.update(shuffle=True)\n"
            "    return DataLoader(ds, **kwargs)\n\nif __name__ == '__main__':\n"
            "    train(model, loaders(ds))\n",
            6,
        ),
        (
            "import torch\nfrom torch.utils.data import DataLoader\n"
            "loader = DataLoader(ds, shuffle=True, generator=torch.Generator())\n",
            3,
        ),
        (
            "from torch.utils.data import WeightedRandomSampler\n"
            "sampler = WeightedRandomSampler(weights, num_samples=len(weights))\n",
            2,
        ),
        (
            "from torchvision.datasets.samplers import RandomClipSampler\n"
            "sampler = RandomClipSampler(videos.video_clips, 5)\n",
            2,
        ),
    )
    calls = frozenset({_LOADER, *_SAMPLERS})

    def __init__(self) -> None:
        self.splatted: list[ast.Call] = []

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        sampler = name in _SAMPLERS
        at = _SAMPLERS.get(name, 12)
        generator = None if at is None else args.argument(call, at, "generator")
        if generator is not None:
            if isinstance(generator, ast.Call) and ctx.resolve(generator.func) == "torch.Generator":
                ctx.report(
                    self,
                    call,
                    "generator=torch.Generator() is never seeded: it starts from the same "
                    "fixed seed whatever the run's seed",
                    "warning",
                )
            return
        if sampler:
            short = name.rpartition(".")[2]
            what = f"{short} without generator=" if at else f"{short} draws from torch's generator"
            self._pending(call, what, "the sample order", ctx)
        elif any(k.arg is None for k in call.keywords):
            self.splatted.append(call)
        else:
            self._judge(call, {k.arg: k.value for k in call.keywords if k.arg}, ctx)

    def finish(self, ctx: FileContext) -> None:
        for call in self.splatted:
            given = _splatted_keywords(call, ctx)
            if given is not None and "generator" not in given:
                self._judge(call, given, ctx)

    def _judge(self, call: ast.Call, keywords: dict[str, ast.expr], ctx: FileContext) -> None:
        shuffle = keywords.get("shuffle", call.args[2] if len(call.args) > 2 else None)
        workers = keywords.get("num_workers", call.args[5] if len(call.args) > 5 else None)
        shuffled = args.literal(shuffle) if shuffle is not None else False
        if shuffled is True or shuffled is args.UNKNOWN:
            shown = "True" if shuffled is True else ast.unparse(shuffle)  # type: ignore[arg-type]
            what = f"DataLoader(shuffle={shown}) without generator="
            self._pending(call, what, "the order", ctx)
        elif shuffle is not None and shuffled is False:
            return  # an evaluation loader: its workers' seeds reach no random draw we can see
        elif _evaluation_loader(call, ctx):
            return  # nothing shuffles, and evaluation data is not augmented
        elif args.some_workers(workers) and args.argument(call, 10, "worker_init_fn") is None:
            shown = ast.unparse(workers)  # type: ignore[arg-type]
            what = f"DataLoader(num_workers={shown}) without generator= or worker_init_fn="
            self._pending(call, what, "the workers' random streams", ctx)

    def _pending(self, call: ast.Call, what: str, effect: str, ctx: FileContext) -> None:
        who = callers.owner(call, ctx)
        if who is callers.Owner.NOBODY:
            return
        message = (
            f"{what}, and torch is never seeded: {effect} differ per run"
            f"{unmet_note(ctx, facts.SEED_TORCH)}"
        )
        ctx.report_unless(
            facts.SEED_TORCH,
            self,
            call,
            message.replace("order differ", "order differs"),
            callers_decide=who is callers.Owner.CALLERS,
        )


#: names of evaluation loaders and of the functions that build them (``val_loader``,
#: Lightning's ``test_dataloader``), as whole pieces of the name
_EVALUATION = re.compile(r"(?:^|_)(?:val|valid|validation|test|eval|evaluation|predict)(?:_|$)")


def _evaluation_loader(call: ast.Call, ctx: FileContext) -> bool:
    """A loader assigned to a name, or built in a function, named for evaluation."""
    parent = ctx.parent
    if isinstance(parent, ast.Assign) and all(isinstance(t, ast.Name) for t in parent.targets):
        return all(_EVALUATION.search(t.id.lower()) for t in parent.targets)  # type: ignore[attr-defined]
    scope = ctx.program().scope_of(call)
    name = getattr(scope, "name", "")
    return isinstance(parent, ast.Return) and bool(_EVALUATION.search(name.lower()))


def _splatted_keywords(call: ast.Call, ctx: FileContext) -> dict[str, ast.expr] | None:
    """The keywords a call receives, reading ``**name`` from a dict the enclosing function
    builds (a literal, ``dict(...)``, ``name.update(...)``, ``name[key] = value``); None when
    a splat cannot be read."""
    given = {k.arg: k.value for k in call.keywords if k.arg}
    scope = ctx.program().scope_of(call)
    for keyword in call.keywords:
        if keyword.arg is not None:
            continue
        if not isinstance(keyword.value, ast.Name):
            return None
        built = _dict_built(scope, keyword.value.id, call.lineno)
        if built is None:
            return None
        given.update(built)
    return given


def _dict_built(scope: ast.AST, name: str, before: int) -> dict[str, ast.expr] | None:
    items: dict[str, ast.expr] = {}
    found = False
    for node in ast.walk(scope):
        if getattr(node, "lineno", before) >= before:
            continue
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            read = _literal_items(node.value)
            if read is None:
                return None
            items.update(read)
            found = True
        elif isinstance(node, ast.Assign) and any(_item_of(t, name) for t in node.targets):
            target = next(t for t in node.targets if _item_of(t, name))
            key = target.slice  # type: ignore[attr-defined]
            items[str(key.value)] = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            for keyword in node.keywords:
                if keyword.arg:
                    items[keyword.arg] = keyword.value
            for arg in node.args:
                items.update(_literal_items(arg) or {})
    return items if found else None


def _literal_items(value: ast.expr) -> dict[str, ast.expr] | None:
    if isinstance(value, ast.Dict):
        if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in value.keys):
            return None
        return {k.value: v for k, v in zip(value.keys, value.values, strict=True)}  # type: ignore[union-attr]
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict":
        if value.args:
            return None
        return {k.arg: k.value for k in value.keywords if k.arg}
    return None


def _item_of(target: ast.expr, name: str) -> bool:
    return (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Name)
        and target.value.id == name
        and isinstance(target.slice, ast.Constant)
        and isinstance(target.slice.value, str)
    )
