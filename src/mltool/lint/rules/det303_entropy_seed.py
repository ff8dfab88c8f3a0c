from __future__ import annotations

import ast

from mltool.lint import seeds, values
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_NO_ARGUMENT_IS_ENTROPY = frozenset({"random.seed", "numpy.random.seed"})
_ALWAYS_ENTROPY = frozenset(
    {"torch.seed", "torch.random.seed", "torch.cuda.seed", "torch.cuda.seed_all"}
)
#: generator objects whose ``seed()`` method, called without a seed, reseeds from entropy
_GENERATOR_CLASSES = frozenset({"torch.Generator", "random.Random", "numpy.random.RandomState"})


class EntropySeed(Rule):
    code = "DET303"
    name = "entropy-seed"
    about_runs = True
    message = "seed taken from the clock or OS entropy"
    hint = "use a fixed, configurable seed (a command-line option) and log it"
    what = (
        "Flags seeding from time, process ids, UUIDs, OS entropy or a draw from a generator "
        "nothing has seeded yet (`int(time.time())`, `random.randint(...)`, "
        "`os.getpid()`, `uuid.uuid4().int`, `os.urandom`, `secrets`), `torch.seed()` and "
        "`torch.cuda.seed()`, `random.seed()` / `np.random.seed()` with no argument, and "
        "the `seed()` method of a `torch.Generator`, `random.Random` or NumPy `RandomState` "
        "called without one (`g = torch.Generator(); g.seed()`). "
        "The seed is followed through names, argparse defaults and what the file's own "
        "functions return; seeding helpers count as seeding calls: a function of the file "
        "that passes its parameter on to one (`def set_seed(seed): torch.manual_seed(seed)`) "
        "and any function named for seeding (`set_seed`, `seed_all`, `init_seeds`)."
    )
    why = "Such a seed is different on every run, so nothing that depends on it can be reproduced."
    valid = (
        "import torch\ntorch.manual_seed(42)\n",
        "import torch\ntorch.manual_seed(args.seed)\n",
        "import random\nimport torch\nrandom.seed(0)\ntorch.manual_seed(random.randint(0, 99))\n",
        "import argparse\nimport numpy as np\nimport torch\np = argparse.ArgumentParser()\n"
        "p.add_argument('--seed', type=int, default=42)\nargs = p.parse_args()\n"
        "if args.seed is None:\n    args.seed = np.random.randint(10000)\n"
        "torch.manual_seed(args.seed)\n",
        "import random\nimport torch\n\ndef set_seed(seed):\n    random.seed(seed)\n"
        "    torch.manual_seed(seed)\n\nset_seed(1234)\nbatch = random.sample(items, 8)\n",
    )
    invalid = (
        ("import time\nimport torch\ntorch.manual_seed(int(time.time()))\n", 3),
        (
            "import random\nimport torch\nseed = random.randint(0, 2**31)\n"
            "torch.manual_seed(seed)\n",
            4,
        ),
        (
            "import numpy as np\nimport torch\nif args.seed is None:\n"
            "    args.seed = np.random.randint(10000)\ntorch.manual_seed(args.seed)\n",
            5,
        ),
        (
            "import argparse\nimport time\nimport torch\np = argparse.ArgumentParser()\n"
            "p.add_argument('--seed', type=int, default=int(time.time()))\nargs = p.parse_args()\n"
            "torch.manual_seed(args.seed)\n",
            7,
        ),
        ("import numpy as np\nnp.random.seed()\n", 2),
        ("import torch\ns = torch.seed()\n", 2),
        ("import torch\ng = torch.Generator()\ng.seed()\nx = torch.rand(3, generator=g)\n", 3),
        ("import os\nimport torch\ng = torch.Generator().manual_seed(os.getpid())\n", 3),
        (
            "import random\nimport torch\n\ndef set_seed(seed):\n    random.seed(seed)\n"
            "    torch.manual_seed(seed)\n\nseed = random.randint(0, 10_000)\nset_seed(seed)\n",
            9,
        ),
        (
            "import time\nfrom utils import seed_everything\n\ndef new_seed():\n"
            "    return int(time.time() * 1000) % 2**32\n\nseed_everything(new_seed())\n",
            7,
        ),
    )
    calls = seeds.SEEDING_CALLS | _ALWAYS_ENTROPY
    methods = frozenset({"manual_seed", "seed"})

    def __init__(self) -> None:
        self.sinks: list[tuple[ast.Call, str]] = []

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        shown = f"{name}()" if "." in name else f"Generator.{name}()"
        if name == "seed":
            owner = _generator_class(call.func, ctx) if not (call.args or call.keywords) else None
            if owner is not None:
                ctx.report(self, call, f"{owner}.seed() reseeds the generator from OS entropy")
        elif name in _ALWAYS_ENTROPY:
            ctx.report(self, call, f"{shown} seeds from OS entropy")
        elif not call.args and not call.keywords:
            if name in _NO_ARGUMENT_IS_ENTROPY:
                ctx.report(self, call, f"{shown} without an argument seeds from OS entropy")
        else:
            self.sinks.append((call, shown))

    def finish(self, ctx: FileContext) -> None:
        for call, shown in self.sinks:
            source = seeds.entropy_source(call, ctx)
            if source is not None:
                ctx.report(self, call, f"{shown}: seed taken from {source}")
        if "seed" not in ctx.source:
            return
        known = {id(call) for call, _ in self.sinks}
        for call in seeds.helper_calls(ctx, [c for c, _ in self.sinks], known):
            source = seeds.entropy_source(call, ctx)
            if source is not None:
                ctx.report(self, call, f"{ast.unparse(call.func)}(): seed taken from {source}")


def _generator_class(func: ast.expr, ctx: FileContext) -> str | None:
    """The class when ``func`` is the ``seed`` method of a generator object:
    ``torch.Generator().seed``, or ``g.seed`` where ``g`` was last assigned one."""
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if isinstance(receiver, ast.Name):
        receiver = values.assigned(receiver, ctx)
    if not isinstance(receiver, ast.Call):
        return None
    name = ctx.resolve(receiver.func)
    return name if name in _GENERATOR_CLASSES else None
