from __future__ import annotations

import ast

from mltool.lint import facts
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule

_SEEDS = {
    "random.seed": facts.SEED_PYTHON,
    "numpy.random.seed": facts.SEED_NUMPY,
    "torch.manual_seed": facts.SEED_TORCH,
    "torch.random.manual_seed": facts.SEED_TORCH,
}
_CUDA = frozenset({"torch.cuda.manual_seed", "torch.cuda.manual_seed_all"})
_LIBRARY = {
    facts.SEED_PYTHON: "Python's random",
    facts.SEED_NUMPY: "NumPy",
    facts.SEED_TORCH: "torch",
}


class SeedHelperIncomplete(Rule):
    code = "DET308"
    name = "seed-helper-incomplete"
    about_runs = True
    severity = "warning"
    message = "this seeding helper leaves a random generator unseeded"
    hint = (
        "seed all three in the helper: random.seed(seed), np.random.seed(seed) and "
        "torch.manual_seed(seed) (or call lightning's seed_everything(seed, workers=True))"
    )
    what = (
        "Flags a function whose name holds `seed` (`set_seed`, `fix_seeds`, `init_seeds`, "
        "...) that seeds some of Python's `random`, NumPy's global generator and torch, but "
        "not all three. `torch.cuda.manual_seed_all` does not stand in for "
        "`torch.manual_seed`: it seeds only the CUDA generators. Worker init functions "
        "(names holding `worker`), which torch has already seeded, are left alone. An "
        "error when torch is the one left out, a warning otherwise."
    )
    why = (
        "Augmentations and samplers draw from whichever generator their library uses: one "
        "left unseeded makes every run draw differently even though a seed is set."
    )
    valid = (
        "import random\nimport numpy as np\nimport torch\n\ndef set_seed(seed):\n"
        "    random.seed(seed)\n    np.random.seed(seed)\n    torch.manual_seed(seed)\n",
        "import lightning as L\n\ndef seed_all(seed):\n    L.seed_everything(seed)\n",
        "import random\nimport numpy as np\n\ndef seed_worker(worker_id):\n"
        "    np.random.seed(worker_id)\n    random.seed(worker_id)\n",
    )
    invalid = (
        (
            "import numpy as np\nimport torch\n\ndef set_seed(seed):\n"
            "    np.random.seed(seed)\n    torch.manual_seed(seed)\n",
            4,
        ),
        (
            "import random\nimport numpy as np\nimport torch\n\ndef fix_seeds(seed):\n"
            "    random.seed(seed)\n    np.random.seed(seed)\n"
            "    torch.cuda.manual_seed_all(seed)\n",
            5,
        ),
    )
    nodes = (ast.FunctionDef,)
    words = frozenset({"seed"})

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        function: ast.FunctionDef = node  # type: ignore[assignment]
        lowered = function.name.lower()
        if "seed" not in lowered or "worker" in lowered:
            return
        seeded: set[str] = set()
        cuda = False
        for inner in ast.walk(function):
            if not isinstance(inner, ast.Call):
                continue
            name = ctx.resolve(inner.func) or ""
            if name in facts.SEED_ALL:
                return
            seeded.update((_SEEDS[name],) if name in _SEEDS else ())
            cuda = cuda or name in _CUDA
        if not seeded and not cuda:
            return
        missing = [f for f in facts.ALL_SEEDS if f not in seeded]
        if missing:
            self._report(function, seeded, missing, cuda, ctx)

    def _report(
        self,
        function: ast.FunctionDef,
        seeded: set[str],
        missing: list[str],
        cuda: bool,
        ctx: FileContext,
    ) -> None:
        done = [_LIBRARY[f] for f in facts.ALL_SEEDS if f in seeded] + (["CUDA"] if cuda else [])
        left = " or ".join(_LIBRARY[f] for f in missing)
        message = f"{function.name}() seeds {' and '.join(done)} but not {left}"
        if facts.SEED_TORCH in missing and cuda:
            message += " (torch.cuda.manual_seed_all leaves the CPU generator unseeded)"
        ctx.report(self, function, message, "error" if facts.SEED_TORCH in missing else "warning")
