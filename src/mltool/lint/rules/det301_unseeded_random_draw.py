from __future__ import annotations

import ast
from typing import cast

from mltool.lint import args, callers, conditions, facts, positions, seeds, values
from mltool.lint.context import FileContext
from mltool.lint.loops import only_reports
from mltool.lint.model import Pending
from mltool.lint.rule import Rule
from mltool.lint.seeds import seeded_only_after

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
    "binomial",
    "_sample_dirichlet",
    "_standard_gamma",
)
#: scikit-learn estimators that draw while fitting (bootstrap samples, split candidates,
#: initial weights or centres, the order of samples), and data generators
_FITTING = {
    "ensemble": (
        "RandomForestClassifier", "RandomForestRegressor", "ExtraTreesClassifier",
        "ExtraTreesRegressor", "GradientBoostingClassifier", "GradientBoostingRegressor",
        "IsolationForest", "BaggingClassifier", "BaggingRegressor", "RandomTreesEmbedding",
    ),
    "tree": (
        "DecisionTreeClassifier", "DecisionTreeRegressor", "ExtraTreeClassifier",
        "ExtraTreeRegressor",
    ),
    "cluster": ("KMeans", "MiniBatchKMeans"),
    "linear_model": ("SGDClassifier", "SGDRegressor", "Perceptron"),
    "neural_network": ("MLPClassifier", "MLPRegressor"),
    "manifold": ("TSNE",),
    "decomposition": ("TruncatedSVD", "FastICA"),
    "datasets": ("make_classification", "make_regression", "make_blobs"),
}  # fmt: skip
#: scikit-learn calls that draw from NumPy's global generator unless given random_state
_SKLEARN = {
    "sklearn.model_selection.train_test_split": None,
    "sklearn.utils.shuffle": None,
    "sklearn.model_selection.ShuffleSplit": None,
    "sklearn.model_selection.StratifiedShuffleSplit": None,
    "sklearn.model_selection.KFold": "shuffle",
    "sklearn.model_selection.StratifiedKFold": "shuffle",
    "sklearn.model_selection.GroupKFold": "shuffle",
    "sklearn.model_selection.GroupShuffleSplit": None,
    "sklearn.model_selection.RandomizedSearchCV": None,
    "sklearn.model_selection.ParameterSampler": None,
    **{f"sklearn.{module}.{n}": None for module, names in _FITTING.items() for n in names},
}
_NUMPY_STATE = ("NumPy's global random state", facts.SEED_NUMPY)
#: Hugging Face ``datasets`` methods that, without ``seed=`` or ``generator=``, take their seed
#: from NumPy's global random state
_DATASET_DRAWS = frozenset({"shuffle", "train_test_split"})
_METHOD_DRAWS = _DATASET_DRAWS | {"sample"}
#: keywords only pandas' ``DataFrame.sample`` / ``Series.sample`` takes
_FRAME_SAMPLE_KEYWORDS = frozenset({"frac", "weights", "random_state", "ignore_index"})
#: memo key: the file's pending draws, with what they draw from
_DRAWS = "det301-draws"
_STREAMED_SHUFFLE = (
    "shuffle() without seed= of a streaming (iterable) dataset seeds itself from OS entropy, "
    "which no global seed reaches: pass seed="
)
_LIBRARIES = {
    **{f"random.{n}": ("Python's random", facts.SEED_PYTHON) for n in _PYTHON},
    **{f"numpy.random.{n}": _NUMPY_STATE for n in _NUMPY},
    **{f"torch.{n}": ("torch", facts.SEED_TORCH) for n in _TORCH},
    **dict.fromkeys(_SKLEARN, _NUMPY_STATE),
}


class UnseededRandomDraw(Rule):
    code = "DET301"
    name = "unseeded-random-draw"
    about_runs = True
    message = "random draw with no seed set in any linted file"
    hint = "seed once at start-up: lightning's seed_everything(seed, workers=True) seeds all three"
    what = (
        "Flags draws from Python's `random` module, NumPy's global `np.random` functions, "
        "torch's random factories (`torch.rand`, `torch.randperm`, ...), scikit-learn's "
        "`train_test_split`, `shuffle`, shuffling splitters and estimators that draw while "
        "fitting (random forests, gradient boosting, k-means, SGD, MLPs, t-SNE, ...) without "
        "`random_state`, pandas' `.sample(...)` without `random_state`, and, in "
        "files that import Hugging Face `datasets`, the `.shuffle()` and "
        "`.train_test_split(...)` methods without `seed=` or `generator=` (a `Dataset` then "
        "seeds them from NumPy's global random state; a streaming `IterableDataset`, from "
        "`load_dataset(..., streaming=True)` or `.to_iterable_dataset()`, seeds its shuffle "
        "from OS entropy, so that one is flagged whatever is seeded), when "
        "nothing that runs the code seeds that generator (`random.seed`, `np.random.seed`, "
        "`torch.manual_seed`, or `seed_everything`, which seeds all three), or when every call "
        "of the file that seeds it comes later in the same function or module body (a "
        "Hugging Face `Trainer` built after the draw seeds too late). Torch calls given "
        "an explicit `generator=` are not flagged. Draws inside the functions and classes of "
        "a library module are settled by the entry scripts that import it (their caller "
        "seeds); draws in the `__main__` smoke test of a module that never trains are not "
        "flagged, nor are random tensors (`torch.rand`, `torch.randn`, `torch.randint`, ...) "
        "in a script that neither trains nor saves or writes anything: they are example "
        "inputs for tracing, exporting or a check. Shuffles and permutations there still "
        "are. Draws from `random` and NumPy in the methods of a data class (a dataset's "
        "`__getitem__`, a transform's `__call__`; not `__init__`, nor a class with "
        "`forward`) are seeded by a seeded torch where the code that runs them builds a "
        "`DataLoader` with `num_workers` other than 0: each worker seeds both from torch's "
        "generator. A draw in a function that `mp.spawn` or a `Process` starts counts only "
        "the seeds that function sets: the parent's seeds do not reach fresh processes. "
        "A draw that only makes the seed of a seeding call is DET303's finding there, and "
        "one that a loop only prints or logs (`for i in random.sample(range(n), 3): "
        "logger.info(rows[i])`) feeds no computation."
    )
    why = "An unseeded generator starts from OS entropy, so every run draws different numbers."
    valid = (
        "import random\nrandom.seed(0)\nx = random.random()\n",
        # the draw only makes an entropy seed: DET303 reports the seeding call
        "import numpy as np\nimport torch\nseed = np.random.randint(2**31)\n"
        "torch.manual_seed(seed)\n",
        # the sampled rows are only logged
        "import logging\nimport random\nlogger = logging.getLogger(__name__)\n"
        "for i in random.sample(range(len(rows)), 3):\n    logger.info(f'row {i}: {rows[i]}')\n"
        "for x in rows:\n    model(x).sum().backward()\n    opt.step()\n",
        "import random\n\ndef pick(rows):\n    return random.choice(rows)\n\n"
        "random.seed(0)\nprint(pick([1, 2]))\n",
        "from datasets import load_dataset\nfrom transformers import Trainer\n\n"
        "def main():\n    trainer = Trainer(model=model, args=args)\n"
        "    trainer.train_dataset = load_dataset('imdb', split='train').shuffle()\n"
        "    trainer.train()\n",
        "import numpy as np\nfrom lightning.pytorch import seed_everything\n"
        "seed_everything(1, workers=True)\nx = np.random.rand(3)\n",
        "import torch\nx = torch.rand(3, generator=g)\n",
        "import numpy as np\nrng = np.random.default_rng(0)\nx = rng.random(3)\n",
        "from sklearn.ensemble import RandomForestClassifier\n"
        "forest = RandomForestClassifier(n_estimators=100, random_state=0).fit(X, y)\n",
        "import pandas as pd\nrows = pd.read_csv('rows.csv')\n"
        "train = rows.sample(frac=0.8, random_state=0)\n",
        "import torch\nimport pandas as pd\ntorch.manual_seed(0)\n"
        "z = torch.distributions.Normal(0, 1).sample((4,))\n",
        "from sklearn.model_selection import train_test_split\n"
        "train, val = train_test_split(rows, test_size=0.2, random_state=0)\n",
        "import argparse\nfrom sklearn.model_selection import train_test_split\n"
        "parser = argparse.ArgumentParser()\nparser.add_argument('--seed', type=int, default=0)\n"
        "args = parser.parse_args()\ntrain, val = train_test_split(rows, random_state=args.seed)\n",
        "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.scale = nn.Parameter(torch.randn(8))\n\n"
        "if __name__ == '__main__':\n    print(Net()(torch.randn(2, 8)).shape)\n",
        "from datasets import load_dataset\nds = load_dataset('imdb')['train']\n"
        "ds = ds.shuffle(seed=42)\nparts = ds.train_test_split(test_size=0.1, seed=42)\n",
        "from datasets import load_dataset\nds = load_dataset('imdb')['train']\n"
        "parts = ds.train_test_split(test_size=0.1, shuffle=False)\n",
        "import numpy as np\nfrom datasets import load_dataset\nnp.random.seed(0)\n"
        "ds = load_dataset('imdb')['train'].shuffle()\n",
        "import random\nfrom datasets import load_dataset\nrandom.seed(0)\nrandom.shuffle(names)\n",
        "from datasets import load_dataset\n"
        "ds = load_dataset('c4', 'en', split='train', streaming=True)\n"
        "ds = ds.shuffle(seed=42, buffer_size=10_000)\n",
        "import torch\nfrom models import Net\nmodel = Net().eval()\n"
        "x = torch.randn(1, 3, 32, 32)\ntraced = torch.jit.trace(model, x)\n"
        "print(torch.allclose(traced(x), model(x)))\n",
        # the loader's workers seed random and NumPy from the seeded torch
        "import random\nimport torch\nfrom torch.utils.data import DataLoader\n\n"
        "class Flip:\n    def __call__(self, image):\n"
        "        return image.flip(-1) if random.random() < 0.5 else image\n\n"
        "torch.manual_seed(0)\nloader = DataLoader(Images(Flip()), num_workers=4)\n"
        "for x in loader:\n    model(x).sum().backward()\n    opt.step()\n",
        "import torch\nimport torch.multiprocessing as mp\n\ndef worker(rank):\n"
        "    torch.manual_seed(0)\n    order = torch.randperm(8)\n"
        "    model(x[order]).sum().backward()\n    opt.step()\n\n"
        "if __name__ == '__main__':\n    mp.spawn(worker, nprocs=2)\n",
    )
    invalid = (
        ("import random\nx = random.choice(items)\n", 2),
        (
            "from sklearn.model_selection import train_test_split\n"
            "train, val = train_test_split(rows, test_size=0.2)\n",
            2,
        ),
        ("import numpy as np\nnp.random.shuffle(items)\n", 2),
        (
            "from sklearn.ensemble import RandomForestClassifier\n"
            "forest = RandomForestClassifier(n_estimators=100).fit(X, y)\n",
            2,
        ),
        (
            "import pandas as pd\nrows = pd.read_csv('rows.csv')\ntrain = rows.sample(frac=0.8)\n",
            3,
        ),
        ("import torch\nw = torch.randn(3, 3)\n", 2),
        (  # the seed is set in the parent; the spawned processes start unseeded
            "import torch\nimport torch.multiprocessing as mp\n\ndef worker(rank):\n"
            "    order = torch.randperm(8)\n"
            "    model(x[order]).sum().backward()\n    opt.step()\n\n"
            "if __name__ == '__main__':\n"
            "    torch.manual_seed(0)\n    mp.spawn(worker, nprocs=2)\n",
            5,
        ),
        ("import random\nrandom.shuffle(rows)\nrandom.seed(0)\n", 2),
        (
            "import random\nrandom.shuffle(rows)\nseed = random.randint(0, 9)\nrandom.seed(seed)\n",
            2,
        ),
        (
            "from datasets import load_dataset\nfrom transformers import Trainer\n\n"
            "def main():\n    ds = load_dataset('imdb', split='train').shuffle()\n"
            "    Trainer(model=model, args=args, train_dataset=ds).train()\n",
            5,
        ),
        ("import torch\ndata = torch.randn(100, 8)\ntorch.save(data, 'train.pt')\n", 2),
        ("import torch\norder = torch.randperm(n)\nprint(order[:10])\n", 2),
        ("import torch\nmix = torch._sample_dirichlet(torch.ones(4))\nprint(mix)\n", 2),
        (
            "import torch\nw = torch.randn(4, 1, requires_grad=True)\nx = torch.ones(32, 4)\n"
            "for _ in range(100):\n    loss = ((x @ w) ** 2).mean()\n    loss.backward()\n"
            "    with torch.no_grad():\n        w -= 0.1 * w.grad\n",
            2,
        ),
        ("from datasets import load_dataset\nds = load_dataset('imdb')['train'].shuffle()\n", 2),
        (
            "import numpy as np\nfrom datasets import load_dataset\nnp.random.seed(0)\n"
            "ds = load_dataset('c4', 'en', streaming=True)['train']\n"
            "ds = ds.map(tokenize).shuffle(buffer_size=10_000)\n",
            5,
        ),
        (
            "from datasets import load_dataset\nfrom transformers import set_seed\nset_seed(0)\n"
            "ds = load_dataset('imdb', split='train').to_iterable_dataset().shuffle()\n",
            4,
        ),
        (
            "from datasets import load_dataset\nds = load_dataset('imdb')['train']\n"
            "parts = ds.train_test_split(test_size=0.1)\n",
            3,
        ),
        (  # --seed defaults to None: the default run splits from NumPy's unseeded generator
            "import argparse\nfrom sklearn.model_selection import train_test_split\n"
            "parser = argparse.ArgumentParser()\nparser.add_argument('--seed', type=int)\n"
            "args = parser.parse_args()\n"
            "train, val = train_test_split(rows, random_state=args.seed)\n",
            6,
        ),
        (  # no workers: the transform runs in this process, where random is never seeded
            "import random\nimport torch\nfrom torch.utils.data import DataLoader\n\n"
            "class Flip:\n    def __call__(self, image):\n"
            "        return image.flip(-1) if random.random() < 0.5 else image\n\n"
            "torch.manual_seed(0)\nloader = DataLoader(Images(Flip()), num_workers=0)\n"
            "for x in loader:\n    model(x).sum().backward()\n    opt.step()\n",
            7,
        ),
        (  # a model's forward runs in the training process, not in the loader's workers
            "import random\nimport torch\nfrom torch.utils.data import DataLoader\n\n"
            "class Net(torch.nn.Module):\n    def forward(self, x):\n"
            "        return x if random.random() < 0.5 else -x\n\n"
            "    def __call__(self, x):\n        return self.forward(x)\n\n"
            "torch.manual_seed(0)\nloader = DataLoader(data, num_workers=4)\n"
            "for x in loader:\n    Net()(x).sum().backward()\n    opt.step()\n",
            7,
        ),
    )
    calls = frozenset(_LIBRARIES)
    nodes = (ast.Call,)
    visit_needs = _METHOD_DRAWS

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        library, fact = _LIBRARIES[name]
        if fact == facts.SEED_TORCH and args.has_keyword(call, "generator"):
            return
        if name in _SKLEARN and not _sklearn_draws(call, _SKLEARN[name], ctx):
            return
        if callers.example_input(name, ctx):
            return
        shown = name.rpartition(".")[2] if name in _SKLEARN else name
        note = _unset_note(call, "random_state", ctx) or " without random_state"
        note = note if name in _SKLEARN else ""
        self._report(call, f"{shown}(){note} draws from {library}", fact, ctx)

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        """``dataset.shuffle()``, ``dataset.train_test_split(...)`` of Hugging Face datasets,
        ``frame.sample(...)`` of pandas."""
        call: ast.Call = node  # type: ignore[assignment]
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in _METHOD_DRAWS):
            return
        if ctx.resolve(func) is not None:
            return  # random.shuffle(...) and the like are calls of ``calls``
        if func.attr == "sample":
            if _frame_sample(call, ctx) and _no_seed(call, "random_state", ctx):
                note = _unset_note(call, "random_state", ctx) or " without random_state="
                self._report(
                    call, f"sample(){note} draws from {_NUMPY_STATE[0]}", facts.SEED_NUMPY, ctx
                )
            return
        if not ctx.imports.imports("datasets"):
            return
        if not _dataset_draws(call, func.attr, ctx):
            return
        if func.attr == "shuffle" and _streamed(func.value, ctx):
            self._report(call, _STREAMED_SHUFFLE, None, ctx)
            return
        library, fact = _NUMPY_STATE
        note = _unset_note(call, "seed", ctx) or " without seed="
        self._report(call, f"{func.attr}(){note} draws from {library}", fact, ctx)

    def _report(self, call: ast.Call, draws: str, fact: str | None, ctx: FileContext) -> None:
        """Report ``call`` unless ``fact`` (the seed it needs) is established; with no
        ``fact``, no seed helps and it stands."""
        who = callers.owner(call, ctx)
        if who is callers.Owner.NOBODY or seeds.feeds_an_entropy_seed(call, ctx):
            return
        if isinstance(ctx.parent, ast.For) and ctx.parent.iter is call and only_reports(ctx.parent):
            return  # for i in random.sample(range(n), 3): logger.info(rows[i])
        if fact is None:
            ctx.report(self, call, draws)
            return
        if fact in _IN_DATA and _runs_in_loader_workers(call, ctx):
            fact = _IN_DATA[fact]
        ctx.report_unless(
            fact,
            self,
            call,
            f"{draws}, which nothing that runs this code seeds",
            callers_decide=who is callers.Owner.CALLERS,
        )
        _draws(ctx).append((call, draws, ctx.pending[-1]))

    def finish(self, ctx: FileContext) -> None:
        """A draw that only a later statement of its own function (or module) seeds runs
        unseeded: it stands, whatever seeds it afterwards."""
        tree = ctx.tree
        if tree is None:
            return
        early: set[int] = set()
        for call, draws_from, pending in _draws(ctx):
            unseeded = _drawn_unseeded(call, draws_from, pending.unless, tree, ctx)
            if unseeded is not None:
                early.add(id(pending))
                ctx.report(self, call, unseeded)
        if early:
            ctx.pending[:] = [p for p in ctx.pending if id(p) not in early]


def _drawn_unseeded(
    call: ast.Call, draws_from: str, fact: str, tree: ast.Module, ctx: FileContext
) -> str | None:
    """Why ``call`` draws unseeded whatever seeds the program, or None: only a later
    statement of its function seeds, or it runs in fresh processes that seed nothing."""
    seed = seeded_only_after(call, fact, tree, ctx)
    if seed is not None:
        return f"{draws_from} before line {seed} seeds it"
    worker = _spawned_unseeded(call, fact, ctx)
    if worker is not None:
        return (
            f"{draws_from}, which nothing in the processes {worker}() runs in seeds "
            "(processes that mp.spawn starts do not inherit the parent's seeds)"
        )
    return None


def _spawned_unseeded(call: ast.Call, fact: str, ctx: FileContext) -> str | None:
    """The name of the function started in fresh processes (``mp.spawn(worker)``) that holds
    ``call`` when nothing in it seeds ``fact``: a seed the parent set does not reach it."""
    if fact in _IN_DATA.values() or not ("spawn" in ctx.source or "Process" in ctx.source):
        return None
    worker = ctx.program().spawned_function(call.lineno)
    if worker is None:
        return None
    first, last = worker.lineno, worker.end_lineno or worker.lineno
    if any(fact in found and first <= seed.lineno <= last for found, seed in ctx.counted):
        return None
    return worker.name


#: what seeds random and NumPy in code that a DataLoader's workers run
_IN_DATA = {facts.SEED_PYTHON: facts.DATA_PYTHON, facts.SEED_NUMPY: facts.DATA_NUMPY}
#: the methods a DataLoader's workers call: a dataset's, a sampler's, a transform's
_DATA_METHODS = frozenset({"__getitem__", "__getitems__", "__iter__", "__next__", "__call__"})


def _runs_in_loader_workers(call: ast.Call, ctx: FileContext) -> bool:
    """``call`` is in a method of a data class (one that defines ``__getitem__``,
    ``__iter__`` or ``__call__`` and no ``forward``: a dataset, a transform), other than
    ``__init__``: where a loader has workers, they run it, each with random and NumPy seeded
    from torch's generator."""
    if ctx.tree is None:
        return False
    chain = positions.ancestors(ctx.tree, call)
    classes = [i for i, node in enumerate(chain) if type(node) is ast.ClassDef]
    if not classes or classes[-1] + 1 == len(chain):
        return False  # in no class, or in a class body itself
    owner, method = cast(ast.ClassDef, chain[classes[-1]]), chain[classes[-1] + 1]
    if not isinstance(method, ast.FunctionDef) or method.name == "__init__":
        return False
    names = {s.name for s in owner.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    return bool(names & _DATA_METHODS) and "forward" not in names


def _draws(ctx: FileContext) -> list[tuple[ast.Call, str, Pending]]:
    """The file's pending draws: the call, what it draws from, its pending finding."""
    return cast("list[tuple[ast.Call, str, Pending]]", ctx.memo.setdefault(_DRAWS, []))


def _streamed(node: ast.expr, ctx: FileContext, depth: int = 0) -> bool:
    """``node`` is a Hugging Face ``IterableDataset`` as far as the code shows: it comes from
    ``load_dataset(..., streaming=True)`` or ``.to_iterable_dataset()``, through indexing,
    method calls (``.map(...)``, ``.filter(...)``) and assignments in the same function."""
    if depth > 8:
        return False
    if isinstance(node, ast.Subscript):
        return _streamed(node.value, ctx, depth + 1)
    if isinstance(node, ast.Name):
        value = values.assigned(node, ctx)
        return value is not None and _streamed(value, ctx, depth + 1)
    if not isinstance(node, ast.Call):
        return False
    name = ctx.resolve(node.func)
    if name is not None:
        return name == "datasets.load_dataset" and args.value(node, None, "streaming") is True
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    return func.attr == "to_iterable_dataset" or _streamed(func.value, ctx, depth + 1)


def _dataset_draws(call: ast.Call, method: str, ctx: FileContext) -> bool:
    """No seed or generator given (``shuffle``'s first parameter is the seed), and for
    ``train_test_split`` no ``shuffle=False``; a seed that is an option with a default of
    None (``seed=args.seed``) is none in the default run."""
    if method == "shuffle" and call.args:
        return _unset(call.args[0], ctx)
    if method == "train_test_split" and args.value(call, None, "shuffle") is False:
        return False
    return all(_no_seed(call, k, ctx) for k in ("seed", "generator"))


def _frame_sample(call: ast.Call, ctx: FileContext) -> bool:
    """``x.sample(...)`` is pandas' ``DataFrame.sample``: it passes a keyword only that one
    takes (``frac=``), or the file imports pandas and it passes ``n`` (``df.sample(100)``,
    ``df.sample(n=100)``). A distribution's ``sample((n,))`` is neither."""
    given = {k.arg for k in call.keywords}
    if given & _FRAME_SAMPLE_KEYWORDS:
        return True
    if not ctx.imports.imports("pandas"):
        return False
    count = call.args[0] if call.args else args.argument(call, None, "n")
    return isinstance(count, ast.Constant) and type(count.value) is int


def _sklearn_draws(call: ast.Call, needs: str | None, ctx: FileContext) -> bool:
    """No ``random_state`` (or None, also as an option's default), and for the K-fold
    splitters ``shuffle=True``."""
    if needs is not None and args.value(call, None, needs) is not True:
        return False
    return _no_seed(call, "random_state", ctx)


def _no_seed(call: ast.Call, keyword: str, ctx: FileContext) -> bool:
    given = args.argument(call, None, keyword)
    if given is None:
        return all(k.arg is not None for k in call.keywords)  # **options may hold it
    return args.literal(given) is None or _unset(given, ctx)


def _unset(value: ast.expr, ctx: FileContext) -> bool:
    return conditions.unset_by_default(value, ctx.option_defaults()) is not None


def _unset_note(call: ast.Call, keyword: str, ctx: FileContext) -> str:
    """`` with random_state=args.seed (--seed defaults to None)``, or ``""``."""
    given = args.argument(call, 0 if keyword == "seed" and call.args else None, keyword)
    option = None if given is None else conditions.unset_by_default(given, ctx.option_defaults())
    if option is None:
        return ""
    shown = ast.unparse(given)  # type: ignore[arg-type]
    return f" with {keyword}={shown} (--{option.replace('_', '-')} defaults to None)"
