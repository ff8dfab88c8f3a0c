from __future__ import annotations

import ast
import re
from typing import cast

from mltool.lint import facts
from mltool.lint.context import FileContext
from mltool.lint.program import Scope, TrainingSite
from mltool.lint.training import SetUpRule

_MODEL = re.compile(
    r"model|net|network|module|encoder|decoder|generator|discriminator|backbone", re.I
)
#: calls that load weights rather than draw them
_LOADS = re.compile(r"load|from_pretrained|restore|deepcopy|copy", re.I)
_SEEDING = re.compile(r"seed", re.I)
#: calls named for seeding whatever library they come from (Composer's ``seed_all(17)``)
_SEED_CALL = re.compile(r"(set_|init_|fix_)?(random_)?seeds?(_all|_everything|_rng)?$|manual_seed")
_FACTORY = re.compile(r"^(get|build|create|make|init|setup|load)_?(model|net|network|backbone)$")


class SeedAfterModelBuilt(SetUpRule):
    code = "DET307"
    name = "seed-after-model-built"
    message = "the model is built before the seed is set"
    hint = "set the seed first thing, before any model, layer or data split is created"
    what = (
        "Flags training code whose model is built (`model = Net(...)` and the like, named "
        "`model`, `net`, `encoder`, ...) before the first seed call in the same function: "
        "`seed_everything`, `torch.manual_seed`, `transformers.set_seed` or a call of a "
        "seeding helper (a function whose name holds `seed`). Models loaded from weights "
        "(`from_pretrained`, `load_from_checkpoint`, `torch.load`) are not counted (a Hugging "
        "Face `from_config` is: it draws new weights), nor are "
        "random number generators (`generator = torch.Generator()`) and the file's own "
        "classes that derive from nothing (`class MaskGenerator:`). Reported once per file, "
        "at the first training call."
    )
    why = (
        "Layers draw their initial weights when they are built: a seed set afterwards does "
        "not reach them, so every run starts from different weights."
    )
    valid = (
        "import torch\nfrom lightning.pytorch import Trainer, seed_everything\n\n"
        "def main():\n    seed_everything(1, workers=True)\n    model = Net()\n"
        "    Trainer().fit(model)\n",
        "import torch\n\ndef main(net):\n    wrapped_model = Wrapper(net)\n"
        "    torch.manual_seed(0)\n    for b in loader:\n"
        "        wrapped_model(b).loss.backward()\n        optimizer.step()\n",
        "import torch\n\ndef main():\n    model = AutoModel.from_pretrained('bert')\n"
        "    torch.manual_seed(0)\n    for b in loader:\n        model(b).loss.backward()\n"
        "        optimizer.step()\n",
        "import torch\n\nclass MaskGenerator:\n    def __call__(self):\n        return 0\n\n"
        "def main():\n    mask_generator = MaskGenerator()\n    torch.manual_seed(0)\n"
        "    model = torch.nn.Linear(2, 1)\n    opt = torch.optim.SGD(model.parameters(), 0.1)\n"
        "    model(torch.ones(2)).sum().backward()\n    opt.step()\n",
        "from composer import Trainer\nfrom composer.utils import reproducibility\n"
        "reproducibility.seed_all(17)\nmodel = Net()\n"
        "trainer = Trainer(model=model, seed=17)\ntrainer.fit()\n",
    )
    invalid = (
        (
            "import torch\nfrom lightning.pytorch import Trainer, seed_everything\n\n"
            "def main():\n    model = Net()\n    seed_everything(1, workers=True)\n"
            "    Trainer().fit(model)\n",
            7,
        ),
        (  # the Hugging Face Trainer seeds when it is built: after the weights are drawn
            "from transformers import AutoModelForCausalLM, Trainer\n\ndef main(config, args):\n"
            "    model = AutoModelForCausalLM.from_config(config)\n"
            "    trainer = Trainer(model=model, args=args)\n    trainer.train()\n\n"
            "def _mp_fn(index):\n    main(config, args)\n\n"
            "if __name__ == '__main__':\n    main(config, args)\n",
            9,
        ),
    )

    def check_site(self, site: TrainingSite, ctx: FileContext) -> None:
        program = ctx.program()
        seeding_helpers = _seeding_functions(ctx)
        # the reported call may be the one that runs the training function (``main()``):
        # the model and the seed are in that function, or in what calls it
        scopes: list[Scope] = []
        for seen in (site, *program.sites):
            scopes += (s for s in _scopes_around(seen, program.functions, ctx) if s not in scopes)
        for scope in scopes:
            seed = _first_seed(scope, ctx, seeding_helpers)
            built = _first_model(scope, seed, ctx) if seed is not None else None
            if seed is not None and built is not None:
                ctx.report(
                    self,
                    site.call,
                    f"{site.what}: the model is built at line {built} before the seed is set "
                    f"at line {seed}, so its initial weights are not seeded",
                )
                return


def _scopes_around(
    site: TrainingSite, functions: list[ast.FunctionDef | ast.AsyncFunctionDef], ctx: FileContext
) -> list[Scope]:
    """The training site's own function and the functions that call it by name."""
    found: list[Scope] = [site.scope]
    name = getattr(site.scope, "name", None)
    if name is None:
        return found
    lines = _lines_calling(ctx.source, name)
    for function in functions:
        last = function.end_lineno or function.lineno
        if function is site.scope or not any(function.lineno <= n <= last for n in lines):
            continue
        own = _own_nodes(function, ctx)
        if any(isinstance(n, ast.Call) and _called_name(n) == name for n in own):
            found.append(function)
    return found


def _lines_calling(source: str, name: str) -> list[int]:
    lines: list[int] = []
    at = source.find(name + "(")
    while at >= 0:
        lines.append(source.count("\n", 0, at) + 1)
        at = source.find(name + "(", at + 1)
    return lines


def _seeding_functions(ctx: FileContext) -> set[str]:
    """Functions of this file whose body makes a seed call."""
    seeds = [call for found, call in ctx.fact_calls if facts.SEED_TORCH in found]
    return {
        s.name
        for s in ctx.program().functions
        if any(s.lineno <= c.lineno <= (s.end_lineno or s.lineno) for c in seeds)
    }


def _first_seed(scope: Scope, ctx: FileContext, helpers: set[str]) -> int | None:
    seeds = [call for found, call in ctx.fact_calls if facts.SEED_TORCH in found]
    own = _own_nodes(scope, ctx)
    held = {id(n) for n in own}
    lines = [c.lineno for c in seeds if id(c) in held]
    for node in own:
        if isinstance(node, ast.Call):
            called = _called_name(node)
            if called in helpers or (
                called and (_SEED_CALL.match(called) or (_SEEDING.search(called) and not lines))
            ):
                lines.append(node.lineno)
    return min(lines, default=None)


def _first_model(scope: Scope, before: int, ctx: FileContext) -> int | None:
    for node in _own_nodes(scope, ctx):
        if (
            isinstance(node, ast.Assign)
            and node.lineno < before
            and any(_MODEL.search(_target(t)) for t in node.targets)
            and _builds(node.value)
            and not _not_a_network(node.value, ctx)
        ):
            return node.lineno
    return None


def _builds(value: ast.expr) -> bool:
    """A call that constructs (not one that loads weights or moves a model)."""
    call = value
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        if call.func.attr in ("to", "cuda", "cpu", "train", "eval", "float", "half"):
            call = call.func.value
        else:
            break
    if not isinstance(call, ast.Call):
        return False
    name = _called_name(call) or ""
    wrapped = call.args[0] if call.args else None
    if isinstance(wrapped, ast.Name) and _MODEL.search(wrapped.id):
        return False  # wraps a model built earlier: HuggingFaceModel(model), DDP(model)
    if _FACTORY.match(name):
        return not name.startswith("load")
    if name == "from_config":
        return True  # AutoModel.from_config(config): new weights, drawn now
    return name[:1].isupper() and not _LOADS.search(name)


def _not_a_network(value: ast.expr, ctx: FileContext) -> bool:
    """``torch.Generator()`` (a random number generator), or a class of the file that derives
    from nothing (``class MaskGenerator:``): no weights are drawn."""
    call = value
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        if isinstance(call.func.value, ast.Call):
            call = call.func.value  # Net().to(device)
        else:
            break
    if not isinstance(call, ast.Call):
        return False
    if (ctx.resolve(call.func) or "").endswith((".Generator", ".default_rng", ".RandomState")):
        return True
    name = _called_name(call)
    plain = (
        node
        for node in (ctx.tree.body if ctx.tree is not None else [])
        if isinstance(node, ast.ClassDef) and node.name == name
    )
    return any(all(isinstance(b, ast.Name) and b.id == "object" for b in c.bases) for c in plain)


def _own_nodes(scope: Scope, ctx: FileContext) -> list[ast.AST]:
    """Nodes of the scope's body, not of functions or classes defined inside it, in line
    order; read once per scope and file."""
    memo = cast("dict[int, list[ast.AST]]", ctx.memo.setdefault("det307-own", {}))
    found = memo.get(id(scope))
    if found is None:
        found = memo[id(scope)] = _gather_own(scope)
    return found


def _gather_own(scope: Scope) -> list[ast.AST]:
    found: list[ast.AST] = []
    todo: list[ast.AST] = list(scope.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    found.sort(key=lambda n: getattr(n, "lineno", 0))
    return found


def _called_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _target(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""
