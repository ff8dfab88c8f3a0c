from __future__ import annotations

import ast

from mltool.lint import args, facts
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_PYTHON = (
    "random",
    "randint",
    "randrange",
    "choice",
    "choices",
    "shuffle",
    "sample",
    "uniform",
    "gauss",
    "normalvariate",
    "triangular",
    "betavariate",
    "expovariate",
    "getrandbits",
    "lognormvariate",
    "vonmisesvariate",
    "paretovariate",
    "weibullvariate",
    "randbytes",
)
_NUMPY = (
    "rand",
    "randn",
    "randint",
    "random",
    "random_sample",
    "ranf",
    "sample",
    "choice",
    "shuffle",
    "permutation",
    "normal",
    "uniform",
    "binomial",
    "poisson",
    "beta",
    "exponential",
    "standard_normal",
    "bytes",
    "gamma",
    "multinomial",
    "dirichlet",
)
_TORCH = (
    "rand",
    "randn",
    "randint",
    "randperm",
    "normal",
    "bernoulli",
    "multinomial",
    "rand_like",
    "randn_like",
    "randint_like",
    "poisson",
)
_LIBRARIES = {
    **{f"random.{n}": ("Python's random", facts.SEED_PYTHON) for n in _PYTHON},
    **{f"numpy.random.{n}": ("NumPy's global random state", facts.SEED_NUMPY) for n in _NUMPY},
    **{f"torch.{n}": ("torch", facts.SEED_TORCH) for n in _TORCH},
}


class UnseededRandomDraw(Rule):
    code = "DET301"
    name = "unseeded-random-draw"
    message = "random draw with no seed set in any linted file"
    hint = "seed once at start-up: lightning's seed_everything(seed, workers=True) seeds all three"
    what = (
        "Flags draws from Python's `random` module, NumPy's global `np.random` functions and "
        "torch's random factories (`torch.rand`, `torch.randperm`, ...) when no linted file "
        "seeds that generator (`random.seed`, `np.random.seed`, `torch.manual_seed`, or "
        "`seed_everything`, which seeds all three). Torch calls given an explicit "
        "`generator=` are not flagged."
    )
    why = "An unseeded generator starts from OS entropy, so every run draws different numbers."
    valid = (
        "import random\nrandom.seed(0)\nx = random.random()\n",
        "import numpy as np\nfrom lightning.pytorch import seed_everything\n"
        "seed_everything(1, workers=True)\nx = np.random.rand(3)\n",
        "import torch\nx = torch.rand(3, generator=g)\n",
        "import numpy as np\nrng = np.random.default_rng(0)\nx = rng.random(3)\n",
    )
    invalid = (
        ("import random\nx = random.choice(items)\n", 2),
        ("import numpy as np\nnp.random.shuffle(items)\n", 2),
        ("import torch\nw = torch.randn(3, 3)\n", 2),
    )
    calls = frozenset(_LIBRARIES)

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        library, fact = _LIBRARIES[name]
        if fact == facts.SEED_TORCH and args.has_keyword(call, "generator"):
            return
        ctx.report_unless(
            fact, self, call, f"{name}() draws from {library}, which no linted file seeds"
        )
