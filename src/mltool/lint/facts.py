"""Facts: what a linted file establishes (a seed, deterministic algorithms).

Findings such as "random draw with no seed set" are held as pending until every file is
linted, then dropped if what runs the code establishes the fact (see :mod:`mltool.lint.settle`).
Facts are gathered whatever rules are selected, so ``--ignore`` never changes what another rule
concludes. A call establishes its facts only when it runs in the default run: a seed set only
under ``if args.seed is not None:`` with an argparse default of None establishes nothing.
"""

from __future__ import annotations

import ast
import re

from mltool.lint import args, positions
from mltool.lint.context import FileContext

SEED_PYTHON = "seed:python"
SEED_NUMPY = "seed:numpy"
SEED_TORCH = "seed:torch"
DETERMINISTIC = "deterministic-algorithms"
#: deterministic algorithms without warn-only: only then is attention's backward deterministic
STRICT = "deterministic-algorithms-strict"
CUBLAS_CONFIG = "cublas-workspace-config"
#: the code builds a recurrent layer that runs on cuDNN: ``nn.LSTM``, ``nn.GRU``, ``nn.RNN``
CUDNN_RNN = "cudnn-rnn"
ALL_SEEDS = (SEED_PYTHON, SEED_NUMPY, SEED_TORCH)
#: a Gym / Gymnasium environment's generator and its action space's: no global seed reaches
#: them (``env.reset(seed=s)``, old Gym's ``env.seed(s)``; ``env.action_space.seed(s)``)
SEED_ENVIRONMENT = "seed:environment"
SEED_ACTION_SPACE = "seed:action-space"
#: a DataLoader with worker processes (``num_workers`` not 0): since torch 1.9 each worker
#: seeds random, NumPy and torch from a base seed drawn from torch's generator
LOADER_WORKERS = "loader-workers"
#: what makes draws from random / NumPy reproducible in the code a DataLoader's workers run
#: (a dataset's ``__getitem__``, a transform's ``__call__``): that generator's own seed, or a
#: seeded torch and a loader with workers (see :func:`derived`)
DATA_PYTHON = "seed:python-in-data"
DATA_NUMPY = "seed:numpy-in-data"
#: environment variables that a file sets by naming them (Python, Dockerfile, MLproject, .env)
_ENVIRONMENT = {"CUBLAS_WORKSPACE_CONFIG": CUBLAS_CONFIG}
#: strict deterministic algorithms with the cuBLAS workspace set: Lightning's
#: ``deterministic=True``, transformers' full determinism
FULL_DETERMINISM = frozenset((DETERMINISTIC, STRICT, CUBLAS_CONFIG))

SEED_ALL = frozenset(
    {
        "lightning.pytorch.seed_everything",
        "transformers.set_seed",
        "transformers.trainer_utils.set_seed",
        "accelerate.utils.set_seed",
        "transformers.enable_full_determinism",
        # Hugging Face trainers call set_seed(args.seed) (default 42) when they are built
        "transformers.Trainer",
        "transformers.Seq2SeqTrainer",
        "trl.SFTTrainer",
        # LightningCLI seeds from its configuration (seed_everything)
        "lightning.pytorch.LightningCLI",
    }
)
#: other libraries' helpers that user code calls to seed random, NumPy and torch: whether they
#: seed when called without a seed (timm's default is 42), else only with one that is not
#: None. Helpers those libraries call internally with seeds they may draw from entropy
#: (Composer's ``seed_all``, detectron2's ``seed_all_rng``) are left out.
_LIBRARY_SEEDERS = {
    "ignite.utils.manual_seed": False,
    "timm.utils.random_seed": True,
    "timm.utils.random.random_seed": True,
    "mmengine.runner.set_random_seed": False,
    "mmengine.runner.utils.set_random_seed": False,
    "mmcv.runner.set_random_seed": False,
    "mmdet.apis.set_random_seed": False,
    "monai.utils.set_determinism": True,
    "fastai.torch_core.set_seed": False,
}
#: seeding helpers that also switch deterministic algorithms on when a keyword says so
_DETERMINISTIC_FLAG = {
    "transformers.set_seed": "deterministic",
    "transformers.trainer_utils.set_seed": "deterministic",
    "accelerate.utils.set_seed": "deterministic",
    "mmengine.runner.set_random_seed": "deterministic",
    "mmengine.runner.utils.set_random_seed": "deterministic",
    "monai.utils.set_determinism": "use_deterministic_algorithms",
}
_SEED_ONE = {
    "random.seed": SEED_PYTHON,
    "numpy.random.seed": SEED_NUMPY,
    "torch.manual_seed": SEED_TORCH,
    "torch.random.manual_seed": SEED_TORCH,
}
_TRAINERS = frozenset({"lightning.pytorch.Trainer"})
_RNNS = frozenset({"torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN"})
_LOADERS = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
#: methods that seed like a function: Fabric's ``fabric.seed_everything(seed)``
METHODS = {
    "seed_everything": "lightning.pytorch.seed_everything",
    "reset": "gymnasium.Env.reset",
    "seed": "gymnasium.Space.seed",
    "set_seed": "gymnasium.Space.seed",  # TorchRL's env.set_seed(s) resets with that seed
}
#: receivers that are environments: ``env``, ``self.env``, ``train_envs``, ``environment``
ENVIRONMENT = re.compile(r"(?:^|[._])envs?$|environment$", re.I)
_FULL_DETERMINISM = frozenset(
    {"transformers.enable_full_determinism", "transformers.TrainingArguments"}
)
CALLS = frozenset(
    {
        *SEED_ALL,
        *_LIBRARY_SEEDERS,
        *_SEED_ONE,
        *_TRAINERS,
        *_FULL_DETERMINISM,
        *_LOADERS,
        *_RNNS,
        "composer.Trainer",
        "torch.use_deterministic_algorithms",
        "torch.set_deterministic_debug_mode",
    }
)


def observe_call(call: ast.Call, name: str, ctx: FileContext) -> None:
    found = _established(call, name)
    if found:
        ctx.fact_calls.append((found, call))


def _established(call: ast.Call, name: str) -> frozenset[str]:
    found: set[str] = set()
    if name in SEED_ALL:
        found.update(ALL_SEEDS)
    elif name in _LIBRARY_SEEDERS:
        seed = args.argument(call, 0, "seed")
        given = seed is not None and args.literal(seed) is not None
        if given or (seed is None and _LIBRARY_SEEDERS[name]):
            found.update(ALL_SEEDS)
    elif name in _SEED_ONE:
        if args.argument(call, 0, "seed") is not None:
            found.add(_SEED_ONE[name])
    elif name == "torch.use_deterministic_algorithms":
        if args.value(call, 0, "mode") is True:
            found.add(DETERMINISTIC)
            if args.value(call, None, "warn_only") in (False, args.MISSING):
                found.add(STRICT)
    elif name == "torch.set_deterministic_debug_mode":
        mode = args.value(call, 0, "debug_mode")
        if mode in (1, 2, "warn", "error"):
            found.add(DETERMINISTIC)
        if mode in (2, "error"):
            found.add(STRICT)
    elif name in _TRAINERS:
        found.update(of_lightning_deterministic(args.value(call, None, "deterministic")))
    elif name in _LOADERS and args.some_workers(args.argument(call, 5, "num_workers")):
        found.add(LOADER_WORKERS)
    elif name in _RNNS:
        found.add(CUDNN_RNN)
    if name in _DETERMINISTIC_FLAG and args.value(call, None, _DETERMINISTIC_FLAG[name]) is True:
        found.update((DETERMINISTIC, STRICT))  # set_seed(seed, deterministic=True)
    if name == "transformers.enable_full_determinism" or (
        name == "transformers.TrainingArguments"
        and args.value(call, None, "full_determinism") is True
    ):
        found.update(FULL_DETERMINISM)
    if name.endswith(".Trainer") and args.value(call, None, "seed") not in (None, args.MISSING):
        found.update(ALL_SEEDS)  # a trainer that seeds itself: composer's Trainer(seed=17)
    if name == "lightning.pytorch.LightningCLI" and _cli_deterministic(call):
        found.update(FULL_DETERMINISM)
    if name in ("gymnasium.Env.reset", "gymnasium.Space.seed"):
        found.update(_environment_seeds(call, name))
    return frozenset(found)


def _environment_seeds(call: ast.Call, name: str) -> set[str]:
    """``env.reset(seed=s)``, ``env.seed(s)`` and ``env.action_space.seed(s)`` with a seed
    that is not None; ``rng.seed(s)`` and the like establish nothing here."""
    func = call.func
    receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
    if name == "gymnasium.Env.reset":
        seed = args.argument(call, None, "seed")
    else:
        seed = args.argument(call, 0, "seed")
    if seed is None or args.literal(seed) is None:
        return set()
    if name == "gymnasium.Space.seed" and receiver.endswith("action_space"):
        return {SEED_ACTION_SPACE}
    return {SEED_ENVIRONMENT} if ENVIRONMENT.search(receiver) else set()


def derived(found: set[str]) -> set[str]:
    """``found`` with the facts that follow from it: random and NumPy are seeded in the code
    a DataLoader's workers run when torch is seeded and the loader has workers."""
    workers = SEED_TORCH in found and LOADER_WORKERS in found
    if workers or SEED_PYTHON in found:
        found.add(DATA_PYTHON)
    if workers or SEED_NUMPY in found:
        found.add(DATA_NUMPY)
    return found


def of_lightning_deterministic(mode: object) -> frozenset[str]:
    """What a Lightning ``Trainer(deterministic=mode)`` establishes: ``"warn"`` enables
    deterministic algorithms with warnings only; both set CUBLAS_WORKSPACE_CONFIG."""
    if mode is True:
        return FULL_DETERMINISM
    if mode == "warn":
        return frozenset((DETERMINISTIC, CUBLAS_CONFIG))
    return frozenset()


def stated_in_text(text: str) -> frozenset[str]:
    """The facts a file states by naming an environment variable it sets."""
    return frozenset(fact for variable, fact in _ENVIRONMENT.items() if variable in text)


def _cli_deterministic(call: ast.Call) -> bool:
    defaults = args.argument(call, None, "trainer_defaults")
    if not isinstance(defaults, ast.Dict):
        return False
    return any(
        isinstance(k, ast.Constant) and k.value == "deterministic" and args.literal(v) is True
        for k, v in zip(defaults.keys, defaults.values, strict=True)
    )


def establish(ctx: FileContext) -> None:
    """Turn the calls seen during the walk into the file's facts: those that run in the
    default run count; for the others, note why not (for messages). A call under a condition
    on an option declared in another module (``if args.seed is not None:``, the parser in
    ``utils/args.py``) is *guarded*: it counts unless an imported module declares that
    option with a default that skips it (see :mod:`mltool.lint.settle`)."""
    if not ctx.fact_calls or ctx.tree is None:
        ctx.facts.update(*(found for found, _ in ctx.fact_calls))
        ctx.counted.extend(ctx.fact_calls)
        return
    from mltool.lint import conditions

    for found, call in ctx.fact_calls:
        skipped = conditions.skipped_by_default(ctx.tree, call, ctx.option_defaults)
        if skipped is None:
            ctx.counted.append((found, call))
            guard = conditions.guard(ctx.tree, call, ctx.option_defaults)
            if guard is None:
                ctx.facts.update(found)
            else:  # settled against the options the imported modules declare
                ctx.guarded.append((guard.option, tuple(sorted(guard.skips)), tuple(found)))
            continue
        for fact in found:
            ctx.unmet.setdefault(fact, f"line {call.lineno} runs only when {skipped.reason}")


def placement(ctx: FileContext) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]]:
    """Where the file's facts are established: at import time (module-level code), or inside
    a top-level function or class, by name. A module that imports this one counts the first
    always and a function's or class's facts only where it calls it."""

    at_import: set[str] = set()
    named: dict[str, set[str]] = {}
    for found, call in ctx.counted:
        statement = positions.top_level(ctx.tree, call.lineno) if ctx.tree is not None else None
        name = getattr(statement, "name", None)
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and name:
            named.setdefault(name, set()).update(found)
        else:
            at_import.update(found)
    if CUBLAS_CONFIG in ctx.facts and not named:
        at_import.add(CUBLAS_CONFIG)
    _through_local_calls(ctx, named)
    return frozenset(at_import), tuple((n, frozenset(f)) for n, f in sorted(named.items()))


def _through_local_calls(ctx: FileContext, named: dict[str, set[str]]) -> None:
    """A top-level function that calls one of the file's fact-establishing functions
    establishes its facts too (``def setup(args): set_seed(args.seed)``)."""
    if not named or ctx.tree is None:
        return
    lines = ctx.source.splitlines()
    for statement in ctx.tree.body:
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = "\n".join(lines[statement.lineno : statement.end_lineno or statement.lineno])
        for name, found in list(named.items()):
            if name != statement.name and name + "(" in body:
                named.setdefault(statement.name, set()).update(found)
