"""Project facts: what some linted file establishes (a seed, deterministic algorithms).

Findings such as "random draw with no seed set" are held as pending until every file is
linted, then dropped if any file established the fact. Facts are gathered whatever rules are
selected, so ``--ignore`` never changes what another rule concludes.
"""

from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext

SEED_PYTHON = "seed:python"
SEED_NUMPY = "seed:numpy"
SEED_TORCH = "seed:torch"
DETERMINISTIC = "deterministic-algorithms"
CUBLAS_CONFIG = "cublas-workspace-config"
ALL_SEEDS = (SEED_PYTHON, SEED_NUMPY, SEED_TORCH)

SEED_ALL = frozenset(
    {
        "lightning.pytorch.seed_everything",
        "transformers.set_seed",
        "accelerate.utils.set_seed",
    }
)
_SEED_ONE = {
    "random.seed": SEED_PYTHON,
    "numpy.random.seed": SEED_NUMPY,
    "torch.manual_seed": SEED_TORCH,
    "torch.random.manual_seed": SEED_TORCH,
}
_TRAINERS = frozenset({"lightning.pytorch.Trainer"})
CALLS = frozenset(
    {
        *SEED_ALL,
        *_SEED_ONE,
        *_TRAINERS,
        "torch.use_deterministic_algorithms",
        "torch.set_deterministic_debug_mode",
    }
)


def observe_call(call: ast.Call, name: str, ctx: FileContext) -> None:
    if name in SEED_ALL:
        ctx.facts.update(ALL_SEEDS)
    elif name in _SEED_ONE:
        if args.argument(call, 0, "seed") is not None:
            ctx.facts.add(_SEED_ONE[name])
    elif name == "torch.use_deterministic_algorithms":
        if args.value(call, 0, "mode") is True:
            ctx.facts.add(DETERMINISTIC)
    elif name == "torch.set_deterministic_debug_mode":
        if args.value(call, 0, "debug_mode") in (1, 2, "warn", "error"):
            ctx.facts.add(DETERMINISTIC)
    elif name in _TRAINERS and args.value(call, None, "deterministic") in (True, "warn"):
        ctx.facts.update((DETERMINISTIC, CUBLAS_CONFIG))  # Lightning sets the variable
