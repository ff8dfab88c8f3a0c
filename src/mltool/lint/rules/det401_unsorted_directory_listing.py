from __future__ import annotations

import ast

from mltool.lint import positions
from mltool.lint.context import FileContext
from mltool.lint.loops import order_free_loop
from mltool.lint.ordering import (
    ORDER_FREE_CALLS,
    handed_on_order_free,
    later_uses_order_free,
    unordered_uses,
)
from mltool.lint.rule import Rule

_LISTINGS = frozenset({"os.listdir", "os.scandir", "os.walk", "glob.glob", "glob.iglob"})
_PATH_METHODS = frozenset({"iterdir", "glob", "rglob"})
#: callers for which the order of a listing does not matter (file sizes and counts are ints)
_ORDER_FREE = ORDER_FREE_CALLS | {"sum"}
#: calls that keep the items but not an order that matters when compared with at most one item
_AS_SEQUENCE = frozenset({"list", "tuple"})


class UnsortedDirectoryListing(Rule):
    code = "DET401"
    name = "unsorted-directory-listing"
    message = "directory listing used in filesystem order"
    hint = "wrap it in sorted(...), e.g. sorted(root.glob('*.png'))"
    data_order = True
    what = (
        "Flags `os.listdir`, `os.scandir`, `os.walk`, `glob.glob`, `glob.iglob` and "
        "`Path.iterdir` / `Path.glob` / `Path.rglob` whose result is used in filesystem "
        "order. A listing is order-safe when a later use sorts it (`x = sorted(x)`, "
        "`x = list(set(x))`, "
        "`x.sort()`, `sorted(...)` at the use, also of a comprehension over it) or only uses "
        "it in order-free ways: `len`, `in`, `min` / `max`, `any` / `all`, a set, `print`, "
        "truth tests, membership tests (`name in os.listdir(d)`), a comparison with a list "
        "of at most one item, one-element unpacking, a check that lets at most one item through "
        "(`assert len(files) == 1`, `if len(found) > 1: raise ...`), the files of a `zip`, "
        "`tar` or `rm` command line, "
        "and loops whose iterations stand alone: each only adds to a set, deletes files, "
        "raises (or logs in an `except` handler or under an `if`), plots, writes archive "
        "members, uploads the file to an experiment tracker (`log_artifact`) or keeps a "
        "running maximum or minimum (`if n > best: best = n`), or append to a list made "
        "before the loop whose later uses all ignore or fix its order (`pairs = "
        "list(set(pairs))`), using values it computes "
        "from its own item (`m = pattern.match(name)`) that no later iteration and no code "
        "after the loop reads. The uses of a name the listing is stored in (also by "
        "unpacking, `a, b = glob(x), glob(y)`, or gathered, `files += glob(x)`, "
        "`files.extend(glob(x))`, `glob(a) + glob(b)`) are followed through the function, "
        "and on into the file's own functions: a helper returning the listing is judged by "
        "what every call of it in the file does with the result, and a helper it is passed "
        "to by the uses of its parameter; a "
        "module-level name that nothing in the file uses may be imported, so it is still "
        "flagged. Tooling modules are left alone: those that import a tooling library "
        "(`requests`, `tabulate`, `pynvml`, `pip`, ...) and beside it only the standard "
        "library (a CI report, a CPU-affinity helper)."
    )
    why = (
        "The filesystem decides the order (hash order on ext4, creation order on tmpfs), so "
        "file lists, label indices and train/validation splits built from it differ between "
        "machines."
    )
    valid = (
        "import os\nfiles = sorted(os.listdir(root))\n",
        "import glob\nfiles = []\nfor d in dirs:\n    files += glob.glob(d + '/*.png')\n"
        "dataset = Images(sorted(files))\n",
        "import glob\n\ndef load(d):\n    files = glob.glob(d + '/*')\n"
        "    images = sorted(files)\n    return images, [Path(files) for files in images]\n",
        "import glob\nimport requests\nreports = glob.glob('reports/*.json')\n"
        "requests.post(hook, json={'text': '\\n'.join(reports)})\n",
        "from pathlib import Path\nnames = sorted(p.name for p in Path(root).iterdir())\n",
        "import os\nassert os.listdir(root) == []\n",
        "import os\nassert 'last.ckpt' in os.listdir(run_dir)\n",
        "from pathlib import Path\n(wheel,) = Path(root).glob('*.whl')\n",
        "from pathlib import Path\nimages = sorted(Path(root).glob('*.png'))\n",
        "import glob\nfiles = glob.glob('*.csv')\nfiles.sort()\n",
        "import os\nfor d, dirs, files in os.walk(root):\n    dirs.sort()\n"
        "    for f in sorted(files):\n        print(f)\n",
        "from pathlib import Path\nassert list(Path(root).iterdir()) == [Path(root) / 'a']\n",
        "from pathlib import Path\nnames = {p.stem for p in Path(root).glob('*.png')}\n",
        "from pathlib import Path\nfiles = {*Path(a).glob('*.py'), *Path(b).glob('*.py')}\n",
        "from pathlib import Path\nseen = set()\nfor p in Path(root).rglob('*'):\n"
        "    if p.is_file():\n        seen.add(p.name)\n",
        "import glob\nfiles = glob.glob('*.pt')\nfiles = sorted(files)\n",
        "import os\n\ndef latest(d):\n    ckpts = os.listdir(d)\n"
        "    return max(ckpts, key=os.path.getmtime)\n",
        "import os\nfor f in os.listdir(d):\n    if f.endswith('.tmp'):\n"
        "        os.remove(os.path.join(d, f))\n",
        "import os\nfor _, _, files in os.walk(d):\n    if files:\n        raise ValueError(d)\n",
        "import os\nfor root, dirs, files in os.walk(d):\n"
        "    dirs[:] = [x for x in dirs if not x.startswith('.')]\n    for f in files:\n"
        "        if not f.startswith('.'):\n            raise FileExistsError(f)\n",
        "from pathlib import Path\nn = len(list(Path(d).iterdir()))\n",
        "import os\nprint(os.listdir(out_dir))\n",
        "import os\n\ndef has_config(d):\n    names = os.listdir(d)\n"
        "    return 'config.yaml' in names\n",
        "import zipfile\nfrom pathlib import Path\nwith zipfile.ZipFile(out, 'w') as zf:\n"
        "    for p in Path(d).rglob('*.py'):\n        zf.write(p)\n",
        "import os\nimport re\nPATTERN = re.compile(r'ckpt-(\\d+)')\n\n"
        "def check_free(d, step):\n    for name in os.listdir(d):\n"
        "        found = PATTERN.match(name)\n"
        "        if found is not None and int(found.group(1)) > step:\n"
        "            raise FileExistsError(name)\n",
        "import os\n\ndef newest(d):\n    best = -1\n    for name in os.listdir(d):\n"
        "        try:\n            step = int(name)\n        except ValueError:\n"
        "            continue\n        if step > best:\n            best = step\n"
        "    return best\n",
        "import glob\nimages, masks = glob.glob('img/*'), glob.glob('mask/*')\n"
        "images = sorted([p.lower() for p in images])\nmasks = sorted(masks)\n",
        "import json\nimport logging\nfrom pathlib import Path\n"
        "log = logging.getLogger(__name__)\n\ndef check_configs(d):\n"
        "    for p in Path(d).glob('*.json'):\n        try:\n"
        "            with open(p) as f:\n                config = json.load(f)\n"
        "        except ValueError as e:\n            log.error('bad config %s: %s', p, e)\n"
        "            continue\n        if 'name' not in config:\n"
        "            raise KeyError(p)\n",
        "import os\n\ndef newest(d):\n    names = [e.name for e in os.scandir(d) if e.is_dir()]\n"
        "    names.sort()\n    return names[-1]\n",
        "import glob\n\ndef cpu_pairs():\n    pairs = []\n"
        "    for name in glob.glob('/sys/devices/system/cpu/cpu*/siblings'):\n"
        "        with open(name) as f:\n            pairs.append(tuple(sorted(f.read().split())))\n"
        "    pairs = list(set(pairs))\n    return pairs\n",
        "from pathlib import Path\n\ndef report(d):\n"
        "    names = [p.name for p in Path(d).glob('*.log')]\n"
        "    print('logs: ' + ', '.join(names))\n",
        "import logging\nimport os\n\ndef check(d, wanted):\n    found = os.listdir(d)\n"
        "    if wanted not in found:\n"
        "        raise FileNotFoundError(f\"{wanted} not among {', '.join(found)}\")\n"
        "    logging.info('%d files: %s', len(found), ', '.join(found))\n",
        "import glob\n\ndef images(d):\n    return glob.glob(d + '/*.png')\n\n"
        "files = sorted(images(root))\n",
        "import os\n\ndef labels(d):\n    names = os.listdir(d)\n"
        "    names = [n.lower() for n in names]\n    return names\n\ndef classes(d):\n"
        "    found = labels(d)\n    found.remove('.cache')\n    found.sort()\n    return found\n",
        "import glob\n\ndef config(d):\n"
        "    found = glob.glob(d + '/*.yaml') + glob.glob(d + '/*.yml')\n"
        "    if len(found) > 1:\n        raise ValueError(f'several configs in {d}')\n"
        "    return found[0]\n",
        "import os\nfiles = os.listdir(cache)\nassert len(files) == 1\nkey = files[0]\n",
        "import glob\nfiles = []\nfor d in dirs:\n"
        "    files.extend(glob.glob(d + '/model.yaml'))\nassert len(files) == 1\n"
        "cfg = files[0]\n",
        "import glob\nimport subprocess\n"
        "subprocess.run(['zip', '-r', 'logs.zip', *glob.glob('*.log')], check=True)\n",
        "import glob\nimport mlflow\nfor path in glob.glob('checkpoints/*.pt'):\n"
        "    mlflow.log_artifact(path)\n",
        "import glob\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        "for f in glob.glob('results*.csv'):\n"
        "    rows = [line.split(',') for line in open(f)]\n"
        "    ax.plot([float(r[0]) for r in rows], label=f)\n    ax.set_title('loss')\n"
        "ax.legend()\n",
        "import glob\nimport os\n\ndef drop(paths):\n    for p in paths:\n"
        "        os.remove(p)\n\ndrop(glob.glob('*.tmp'))\n",
        "import logging\nimport os\nnames = os.listdir(d)\nfor name in names:\n"
        "    if name.startswith('.'):\n        logging.warning('hidden file %s', name)\n"
        "        names.remove(name)\nnames.sort()\n",
        "import glob\n\ndef shards(parts):\n    found = []\n    for part in parts:\n"
        "        found.extend(glob.glob(part))\n    found = sorted(set(found))\n    return found\n",
        "from pathlib import Path\n\ndef weights(d):\n"
        "    found = list(Path(d).glob('*.pt')) + list(Path(d).glob('*.bin'))\n"
        "    found.sort()\n    return found[0]\n",
    )
    invalid = (
        ("import os\nfor name in os.listdir(root):\n    print(name)\n", 2),
        (
            "import glob\nfiles = []\nfor d in dirs:\n    files += glob.glob(d + '/*.png')\n"
            "dataset = Images(files)\n",
            4,
        ),
        (
            "import os\n\ndef classes(d):\n    names = [e.name for e in os.scandir(d)]\n"
            "    return {n: i for i, n in enumerate(names)}\n",
            4,
        ),
        ("from pathlib import Path\nimages = list(Path(root).rglob('*.png'))\n", 2),
        ("from glob import glob\nlabels = {n: i for i, n in enumerate(glob('*'))}\n", 2),
        ("from pathlib import Path\nassert list(Path(root).iterdir()) == [a, b]\n", 2),
        ("from pathlib import Path\nfor p in Path(root).rglob('*'):\n    files.append(p)\n", 2),
        (
            "import os\n\ndef classes(root):\n    names = os.listdir(root)\n"
            "    return {n: i for i, n in enumerate(names)}\n",
            4,
        ),
        ("import glob\nimport random\nfiles = glob.glob('*.png')\nrandom.shuffle(files)\n", 3),
        (
            "import os\nfor name in os.listdir(d):\n    path = os.path.join(d, name)\n"
            "print(path)\n",
            2,
        ),
        (
            "import os\nlast = None\nfor name in os.listdir(d):\n    if name == last:\n"
            "        raise ValueError(name)\n    last = name\n",
            3,
        ),
        (
            "import os\n\ndef largest(d):\n    best, chosen = -1, None\n"
            "    for name in os.listdir(d):\n"
            "        size = os.path.getsize(os.path.join(d, name))\n"
            "        if size > best:\n            best, chosen = size, name\n"
            "    return chosen\n",
            5,
        ),
        (
            "import glob\n\ndef image_paths(root):\n    paths = []\n"
            "    for name in glob.glob(root + '/*.png'):\n        paths.append(name)\n"
            "    return paths\n",
            5,
        ),
        (
            "import os\n\ndef files(d):\n    return os.listdir(d)\n\nnames = files(root)\n"
            "index = {n: i for i, n in enumerate(names)}\n",
            4,
        ),
        (
            "import glob\nfiles = glob.glob('*.yaml')\nassert len(files) >= 1\nconfig = files[0]\n",
            2,
        ),
    )
    calls = _LISTINGS
    nodes = (ast.Call, ast.Compare, ast.SetComp, ast.Set, ast.For, ast.Assign)
    words = frozenset({"iterdir", "glob", "rglob", "sort"})
    visit_needs = frozenset({"listdir", "scandir", "walk", "glob", "iterdir"})  # a listing

    def __init__(self) -> None:
        self.candidates: list[tuple[ast.Call, str | None, str]] = []
        self.sorted_names: set[str] = set()
        self.order_free: set[int] = set()  # ids of listings consumed by an order-free call
        self.unpacked: dict[int, str] = {}  # ids of listings unpacked into a name -> the name

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        self._consider(call, f"{name}()", ctx)

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        # a consumer is met before the listing inside it (the walk is pre-order)
        self.order_free.update(map(id, unordered_uses(node, _ORDER_FREE)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            if func.attr == "sort" and isinstance(func.value, ast.Name):
                self.sorted_names.add(func.value.id)
            elif func.attr in _PATH_METHODS and ctx.resolve(func) is None:
                self._consider(node, f"Path.{func.attr}()", ctx)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, (ast.List, ast.Tuple)) and len(s.elts) < 2 for s in sides):
                self.order_free.update(id(i) for s in sides for i in _items_of(s))
        elif (
            isinstance(node, ast.For)
            and _is_listing(node.iter, ctx)
            and order_free_loop(node, _scope(node, ctx))
        ):
            self.order_free.add(id(node.iter))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            # names, listings = ..., ...: each listing is stored in its own name
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                pairs = zip(target.elts, value.elts, strict=False)
                self.unpacked.update((id(v), t.id) for t, v in pairs if isinstance(t, ast.Name))
            elif isinstance(target, ast.Name):
                # names = [f.name for f in os.scandir(d)]: the list holds the listing's order,
                # and so does files = glob(a) + glob(b)
                held = _items_of(_listed(value)) or [value]
                pieces = (_items_of(p) or [p] for p in _concatenated(held))
                self.unpacked.update((id(i), target.id) for p in pieces for i in p)

    def _consider(self, call: ast.Call, shown: str, ctx: FileContext) -> None:
        parent = ctx.parent
        if id(call) in self.order_free or _order_free_use(call, parent):
            return
        if isinstance(parent, ast.Starred) and _archived(call, ctx):
            return
        if isinstance(parent, ast.For) and shown == "os.walk()" and _sorts(parent):
            return
        target: ast.expr | None = None
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
        elif isinstance(parent, ast.AugAssign) and isinstance(parent.op, ast.Add):
            target = parent.target  # files += glob(...): the name gathers the listing
        elif _extended(call, parent):
            target = parent.func.value  # type: ignore[union-attr]  # files.extend(glob(...))
        name = target.id if isinstance(target, ast.Name) else self.unpacked.get(id(call))
        self.candidates.append((call, name, shown))

    def finish(self, ctx: FileContext) -> None:
        for call, name, shown in self.candidates:
            if name is None and handed_on_order_free(call, ctx.tree):
                continue
            if name is not None and (name in self.sorted_names or _fixed_later(call, name, ctx)):
                continue
            ctx.report(self, call, f"{shown}: {self.message}")


def _order_free_use(call: ast.Call, parent: ast.AST | None) -> bool:
    """Truth tests, membership tests, comparisons with a list of at most one item and
    one-element unpacking ignore order."""
    if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert)):
        return parent.test is call
    if isinstance(parent, (ast.BoolOp, ast.UnaryOp)):
        return not isinstance(parent, ast.UnaryOp) or isinstance(parent.op, ast.Not)
    if isinstance(parent, ast.Compare):
        sides = [parent.left, *parent.comparators]
        tested = any(  # "last.ckpt" in os.listdir(d): membership
            side is call and isinstance(op, (ast.In, ast.NotIn))
            for op, side in zip(parent.ops, parent.comparators, strict=True)
        )
        return tested or any(
            isinstance(s, (ast.List, ast.Tuple)) and len(s.elts) < 2 for s in sides
        )
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        return isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 1
    return False


def _items_of(side: ast.expr) -> list[ast.expr]:
    """The iterables whose items ``side`` holds in their order: ``list(x)``, ``tuple(x)``,
    ``[... for _ in x]``."""
    if isinstance(side, ast.Call) and isinstance(side.func, ast.Name):
        return side.args[:1] if side.func.id in _AS_SEQUENCE else []
    if isinstance(side, (ast.ListComp, ast.GeneratorExp)):
        return [g.iter for g in side.generators]
    return []


def _extended(call: ast.Call, parent: ast.AST | None) -> bool:
    """``files.extend(call)``: the list named ``files`` gathers the listing."""
    return (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr == "extend"
        and isinstance(parent.func.value, ast.Name)
        and parent.args[:1] == [call]
    )


def _concatenated(items: list[ast.expr]) -> list[ast.expr]:
    """The pieces of ``a + b + ...`` sums among ``items``: each keeps its order in the sum."""
    found: list[ast.expr] = []
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BinOp) and isinstance(item.op, ast.Add):
            stack += (item.right, item.left)
        else:
            found.append(item)
    return found


#: commands that take files in any order: archivers, and removal
_ARCHIVERS = frozenset({"zip", "tar", "7z", "gzip", "rm"})
_RUNS = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.Popen"}
)


def _archived(call: ast.Call, ctx: FileContext) -> bool:
    """``subprocess.run(["zip", "-r", out, *glob(...)])``: the listing only names the files
    of an archive (or of ``rm``), whose contents do not depend on the order."""
    chain = positions.ancestors(ctx.tree, call) if ctx.tree is not None else []
    if len(chain) < 3:
        return False
    runner, command = chain[-3], chain[-2]
    return (
        isinstance(command, ast.List)
        and isinstance(runner, ast.Call)
        and runner.args[:1] == [command]
        and ctx.resolve(runner.func) in _RUNS
        and isinstance(command.elts[0], ast.Constant)
        and command.elts[0].value in _ARCHIVERS
    )


def _listed(value: ast.expr) -> ast.expr:
    """The list comprehension or generator that ``value`` (``[...]``, ``list(...)``) lists."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "list"
        and len(value.args) == 1
        and isinstance(value.args[0], ast.GeneratorExp)
    ):
        return value.args[0]
    return value


def _sorts(loop: ast.For) -> bool:
    for node in ast.walk(loop):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "sorted") or (
                isinstance(func, ast.Attribute) and func.attr == "sort"
            ):
                return True
    return False


def _fixed_later(call: ast.Call, name: str, ctx: FileContext) -> bool:
    """Every later use of the name the listing is stored in sorts it or ignores its order."""
    scope = _scope(call, ctx)
    return scope is not None and later_uses_order_free(scope, name, call.lineno, ctx.tree)


def _is_listing(node: ast.expr, ctx: FileContext) -> bool:
    """Whether ``node`` is a call this rule considers (so that a loop over it is worth judging)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _PATH_METHODS:
        return True
    return ctx.resolve(func) in _LISTINGS


def _scope(node: ast.AST, ctx: FileContext) -> ast.AST | None:
    """The innermost function holding ``node``, or the module."""
    tree = ctx.tree
    if tree is None:
        return None
    chain = positions.ancestors(tree, node)
    functions = (
        n for n in reversed(chain) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    return next(functions, tree)
