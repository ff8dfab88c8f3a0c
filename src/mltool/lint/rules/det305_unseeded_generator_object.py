from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_MAKERS = {
    "numpy.random.default_rng": "seed",
    "numpy.random.RandomState": "seed",
    "numpy.random.SeedSequence": "entropy",
    "random.Random": "x",
}


class UnseededGeneratorObject(Rule):
    code = "DET305"
    name = "unseeded-generator-object"
    message = "random generator created without a seed"
    hint = "derive it from the run's seed: np.random.default_rng(seed), random.Random(seed)"
    what = (
        "Flags `np.random.default_rng()`, `np.random.RandomState()`, "
        "`np.random.SeedSequence()` and `random.Random()` created with no seed (or `None`)."
    )
    why = (
        "A generator object ignores the global seeds: created without a seed it starts from "
        "OS entropy, even after `seed_everything`."
    )
    valid = (
        "import numpy as np\nrng = np.random.default_rng(42)\n",
        "import random\nrng = random.Random(seed)\n",
    )
    invalid = (
        ("import numpy as np\nrng = np.random.default_rng()\n", 2),
        ("from random import Random\nrng = Random(None)\n", 2),
    )
    calls = frozenset(_MAKERS)

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        seed = args.value(call, 0, _MAKERS[name])
        if seed is args.MISSING or seed is None:
            ctx.report(self, call, f"{name}() without a seed starts from OS entropy")
