"""What a file does, read off its whole syntax tree: where it trains, whether it is an entry
script, and which code never computes gradients.

The model is built lazily, at most once per file and only when a rule asks (a file with a
candidate finding or a training word): most files never pay for it.

- A *training site* is a call that trains: ``.backward()`` together with an optimiser step
  (``optimizer.step()``, ``scaler.step(opt)``, or one written out: ``p -= lr * p.grad``,
  ``p.data.add_(-lr * p.grad)``) in one function or module body, gradients of parameters
  from ``torch.autograd.grad(loss, params)`` together with an optimiser step or a step down
  them (``w - lr * g``, the inner loop of meta-learning), ``.fit(...)`` on
  a Lightning trainer, ``trainer.train()`` on a Hugging Face trainer (also on a name bound
  to ``...Trainer(...)``: ``t = pl.Trainer(); t.fit(model)``), or ``LightningCLI(...)``.
- An *entry script* runs something when executed: it has an ``if __name__ == "__main__":``
  block or statements at module level that do work (a notebook is one). A *library module*
  only defines things; training code may import and call it.
- *No-gradient code* is the body of ``with torch.no_grad()`` / ``torch.inference_mode()`` /
  ``torch.set_grad_enabled(False)``, a function decorated with one of them, Lightning's
  ``validation_step`` / ``test_step`` / ``predict_step``, and functions that only run when
  loading or converting checkpoints (their name or parameters speak of checkpoints or state
  dicts and they never call ``.backward()``).
"""

from __future__ import annotations

import ast
import builtins
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from mltool.lint.positions import (
    ancestors,
    child_fields,
    is_entry,
    is_main_block,
    lines_with,
    span,
    top_level,
)

Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NO_GRAD = frozenset({"no_grad", "inference_mode"})
_INFERENCE_HOOKS = frozenset({"validation_step", "test_step", "predict_step"})
_CHECKPOINT_WORDS = re.compile(
    r"checkpoint|ckpt|state_dict|pretrained|convert|export|load_(model|weights)", re.I
)
_NOT_OPTIMISER = re.compile(
    r"sched|lr|env|pbar|progress|ema|swa|bar|step_fn|checkpoint|ckpt|writer|timer|storage|"
    r"profiler|logger|monitor",
    re.I,
)
_TRAINER = re.compile(r"trainer|train_?loop", re.I)
_TRAINING_NAME = re.compile(r"(^|_)(train(?!ed)|fit(?!ted)|finetune(?!d)|pretrain(?!ed))", re.I)
#: functions whose name says they train: ``train``, ``do_train``, ``train_one_epoch``
_TRAINING_FUNCTION = re.compile(r"^(do_|run_)?(train|fit|finetune|pretrain)(_[a-z0-9]+)*$")
_NOT_TRAINING = re.compile(
    r"split|transform|loader|data|set|test|val|arg|config|parse|step|acc|loss|metric|score|"
    r"error|top|sampler|state|mode|iter|batch|log",
    re.I,
)
_TRAINER_METHODS = frozenset({"fit", "train", "run", "run_loop", "fit_loop"})
#: fitted or trained things that are not networks: ``pca.train_pca(cov)``, ``fit_kmeans(x)``
_NOT_A_NETWORK = re.compile(r"pca|kmeans|cluster|tokeni[sz]er|vocab", re.I)
#: the words on the lines the model reads: training calls, gradient switches
_GRADIENT_WORDS = ("no_grad", "inference_mode", "set_grad_enabled", "spawn", "Process")
_TRAINING_WORDS = ("fit", "LightningCLI", "train", "Train", "run_loop")


_TRAINING_CALL = re.compile(r"train(\w*\(|er\w*\.\w+\()")


@lru_cache(maxsize=4)
def might_train(source: str) -> bool:
    """Whether the source makes a call that trains: ``.backward(``, ``.fit(``,
    ``torch.autograd.grad(``,
    ``LightningCLI``, builds a ``Trainer(``, a function named for training (``train(``,
    ``engine.train_one_epoch(``) or a trainer's method, or starts processes
    (``Process(target=train)``); ``model.train()`` only switches a mode."""
    quick = (".backward(", "fit(", "LightningCLI", "run_loop(", "Process(", "Trainer(")
    if any(w in source for w in quick) or _autograd_functions(source):
        return True
    at = source.find("train")
    while at >= 0:
        before = source[at - 1] if at else " "
        found = _TRAINING_CALL.match(source, at)
        free = not (before.isalnum() or before == "_")
        if found and free and (before != "." or found.group(1).startswith(("_", "er"))):
            return True
        at = source.find("train", at + 5)
    return False


@dataclass(frozen=True, slots=True)
class TrainingSite:
    call: ast.Call  # where set-up findings are reported
    what: str  # what was seen, for messages: "training loop (loss.backward() + opt.step())"
    scope: Scope


class Program:
    """The facts about one file that need more than the node being dispatched."""

    def __init__(self, tree: ast.Module, source: str) -> None:
        self.tree = tree
        self.source = source
        self.sites: list[TrainingSite] = []
        self.no_grad: list[tuple[int, int]] = []  # line ranges
        self.scopes: list[Scope] = [tree]
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.main: ast.If | None = None
        self.calls_training_name = False
        #: the file calls ``.backward()`` or ``torch.autograd.grad`` outside no-gradient code:
        #: backward passes run there even where no optimiser steps
        self.computes_gradients = False
        #: functions started in fresh processes: ``mp.spawn(fn, ...)``, ``Process(target=fn)``
        self.spawned: set[str] = set()
        #: calls of functions named for training (``train_one_epoch(...)``)
        self._named: list[tuple[ast.Call, str, Scope]] = []
        #: names bound to a trainer (``t = pl.Trainer(...)``) and ``name.fit(...)`` calls on
        #: names that do not say so, matched after the walk
        self._trainer_names: set[str] = set()
        self._maybe_trainer: list[tuple[ast.Call, str, Scope]] = []
        self._read()

    # -- what the file is ---------------------------------------------------------------
    @cached_property
    def entry(self) -> bool:
        return is_entry(self.tree)

    @cached_property
    def defines(self) -> bool:
        return any(isinstance(s, (*_DEFS, ast.ClassDef)) for s in self.tree.body)

    @property
    def trains(self) -> bool:
        return bool(self.sites) or self.calls_training_name

    @cached_property
    def trains_itself(self) -> bool:
        """Training runs from the module's own code or top-level functions, not only from
        methods of the classes it defines (a library ``Trainer``)."""
        classes = [span(c) for c in self.tree.body if isinstance(c, ast.ClassDef)]
        sited = any(
            not any(first <= s.call.lineno <= last for first, last in classes) for s in self.sites
        )
        return sited or (self.calls_training_name and not self.sites)

    @property
    def non_training_entry(self) -> bool:
        """An inference, evaluation or benchmark script: it runs, and nothing it runs trains.
        A file that defines classes is a module (a model, a dataset) even when it has a
        ``__main__`` smoke test: training code may import it."""
        return self.entry and not self.trains and not self.defines_classes

    @cached_property
    def defines_classes(self) -> bool:
        return any(isinstance(s, ast.ClassDef) for s in self.tree.body)

    def without_gradients(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self.no_grad)

    def in_class(self, line: int) -> bool:
        """Whether ``line`` lies in a top-level class (a method of a library ``Trainer``)."""
        return isinstance(top_level(self.tree, line), ast.ClassDef)

    def in_main_block(self, line: int) -> bool:
        main = self.main
        return main is not None and main.lineno <= line <= (main.end_lineno or main.lineno)

    def spawned_scope(self, site: TrainingSite) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function started in a fresh process (``mp.spawn(fn)``) that runs ``site``: the
        site's own function or one that calls it by name."""
        scope = site.scope
        if isinstance(scope, ast.Module) or not self.spawned:
            return None
        name = scope.name
        if name in self.spawned:
            return scope
        for function in self.functions:
            if function.name in self.spawned and any(
                isinstance(n, ast.Call) and getattr(n.func, "id", None) == name
                for n in ast.walk(function)
            ):
                return function
        return None

    def spawned_function(self, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The function started in fresh processes (``mp.spawn(fn)``) whose body holds
        ``line``, if any."""
        for function in self.functions:
            if function.name in self.spawned and span(function)[0] <= line <= span(function)[1]:
                return function
        return None

    def first_site(self) -> TrainingSite | None:
        """The file's first training call, as the entry runs it: a training function called
        from another function (or from module-level code) is reported at that call, up to
        the outermost function; launchers in the ``__main__`` block are not followed."""
        calls = [self._climb(s) for s in self.sites]
        return min(calls, key=lambda s: (s.call.lineno, s.call.col_offset), default=None)

    def _climb(self, site: TrainingSite) -> TrainingSite:
        current, what = site, site.what
        for _ in range(4):
            scope = current.scope
            if isinstance(scope, ast.Module):
                break
            caller = self._first_caller(scope)
            if caller is None:
                break
            if current is site and site.call is not caller[0]:
                what = f"{site.what} at line {site.call.lineno}"
            current = TrainingSite(caller[0], what, caller[1])
        return current

    def _first_caller(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> tuple[ast.Call, Scope] | None:
        """The first call of ``function`` by name in this file, outside it and outside the
        ``__main__`` block."""
        needle = function.name + "("
        at = self.source.find(needle)
        last = function.end_lineno or function.lineno
        while at >= 0:
            line = self.source.count("\n", 0, at) + 1
            before = self.source[max(0, at - 4) : at]
            if not (function.lineno <= line <= last or self.in_main_block(line)) and (
                not before[-1:].isalnum()
                and before[-1:] not in ("_", ".")
                and not before.endswith("def ")
            ):
                column = at - (self.source.rfind("\n", 0, at) + 1)
                position = ast.Call(func=ast.Name(function.name), args=[], keywords=[])
                position.lineno, position.col_offset = line, column
                return position, self.scope_of(position)
            at = self.source.find(needle, at + len(needle))
        return None

    def scope_of(self, node: ast.AST) -> Scope:
        """The innermost function (or the module) whose body holds ``node``."""
        line = getattr(node, "lineno", 0)
        inner: Scope = self.tree
        start = 0
        for function in self.functions:
            holds = function.lineno <= line <= (function.end_lineno or function.lineno)
            if holds and function.lineno >= start:
                inner, start = function, function.lineno
        return inner

    def ancestors(self, node: ast.AST) -> list[ast.AST]:
        return ancestors(self.tree, node)

    # -- reading --------------------------------------------------------------------------
    def _read(self) -> None:
        """One walk, pruned to the statements whose lines hold a word the model looks for."""
        self.main = next((s for s in self.tree.body if is_main_block(s)), None)  # type: ignore[assignment]
        lines = lines_with(self.source, _words(self.source))
        stack: list[tuple[ast.AST, int]] = [(self.tree, 0)]
        calls: list[list[ast.Call]] = [[]]
        updates: list[list[ast.stmt | ast.Call]] = [[]]
        while stack:
            node, scope = stack.pop()
            if isinstance(node, _DEFS):
                self.scopes.append(node)
                self.functions.append(node)
                calls.append([])
                updates.append([])
                scope = len(calls) - 1
                if node.name in _INFERENCE_HOOKS or any(_grad_off(d) for d in node.decorator_list):
                    self.no_grad.append(span(node))
            elif isinstance(node, (ast.With, ast.AsyncWith)) and any(
                _grad_off(i.context_expr) for i in node.items
            ):
                self.no_grad.append(span(node))
            elif isinstance(node, ast.Call):
                calls[scope].append(node)
                self._note_call(node, self.scopes[scope])
                if _manual_update(node):
                    updates[scope].append(node)
            elif isinstance(node, (ast.AugAssign, ast.Assign)) and _manual_update(node):
                updates[scope].append(node)
            if isinstance(node, ast.Assign) and _builds_trainer(node.value):
                self._trainer_names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            children = _children(node)
            if isinstance(node, _DEFS) and not _holds_any(node, lines):
                children = [c for c in node.body if isinstance(c, _DEFS)]  # the rest is skipped
            for child in children:
                plan = _plans.get(type(child))
                if plan is None:
                    plan = _plans[type(child)] = _plan(type(child))
                if plan == _SKIP:
                    continue
                if plan != _DESCEND:
                    first = child.lineno  # type: ignore[attr-defined]
                    if plan >= _DECORATED and child.decorator_list:  # type: ignore[attr-defined]
                        first = child.decorator_list[0].lineno  # type: ignore[attr-defined]
                    at = bisect_left(lines, first)
                    last = child.end_lineno or first  # type: ignore[attr-defined]
                    if at == len(lines) or lines[at] > last:
                        if plan == _SCOPE:  # still a scope, and maybe a checkpoint helper
                            stack.append((child, scope))
                        continue
                stack.append((child, scope))
        closures = {  # functions that call .backward(): optimizer.step(closure) trains
            node.name
            for scope_calls, node in zip(calls, self.scopes, strict=True)
            if isinstance(node, _DEFS) and any(_method(c) == "backward" for c in scope_calls)
        }
        grad_functions = _autograd_functions(self.source)
        self.computes_gradients = any(
            (_method(c) == "backward" or _called(c) in grad_functions)
            and not self.without_gradients(c.lineno)
            for scope_calls in calls
            for c in scope_calls
        )
        for scope_calls, scope_updates, scope_node in zip(calls, updates, self.scopes, strict=True):
            site = (
                _loop_site(scope_calls, scope_node, closures)
                or _update_site(scope_calls, scope_updates, scope_node)
                or _autograd_site(scope_calls, scope_node, grad_functions)
            )
            if site is not None:
                self.sites.append(site)
            elif isinstance(scope_node, _DEFS) and _checkpoint_function(scope_node, scope_calls):
                self.no_grad.append(span(scope_node))
        for call, receiver, caller in self._maybe_trainer:
            if receiver in self._trainer_names:
                self.sites.append(
                    TrainingSite(_at_method(call), f"{_text(call.func)}(...)", caller)
                )
        defined = {f.name for f in self.functions}
        for call, name, caller in self._named:
            if name not in defined:  # defined here: its own loop, if any, is the site
                self.sites.append(TrainingSite(call, f"{name}()", caller))

    def _note_call(self, call: ast.Call, scope: Scope) -> None:
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in ("spawn", "Process", "start_processes"):
            target = call.args[0] if call.args and name != "Process" else None
            target = next((k.value for k in call.keywords if k.arg in ("fn", "target")), target)
            if isinstance(target, ast.Name):
                self.spawned.add(target.id)
                if _TRAINING_FUNCTION.match(target.id) and not _NOT_TRAINING.search(target.id):
                    self._named.append((call, target.id, scope))  # Process(target=train)
        if name == "LightningCLI" or (name in _TRAINER_METHODS and _trainer_receiver(func)):
            shown = _text(func) if len(_text(func)) < 40 else _short_receiver(func)
            self.sites.append(TrainingSite(_at_method(call), f"{shown}(...)", scope))
        elif name in ("fit", "train") and isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name):
                self._maybe_trainer.append((call, func.value.id, scope))
        elif (
            _TRAINING_NAME.search(name)
            and (name != "train" or isinstance(func, ast.Name))
            and not _NOT_A_NETWORK.search(name)
        ):
            self.calls_training_name = True
            plain = isinstance(func, ast.Name) or (
                isinstance(func, ast.Attribute)
                and name not in _TRAINER_METHODS
                and isinstance(func.value, ast.Name)  # a module's function, not a method
                and func.value.id not in ("self", "cls")
                and f"{func.value.id} =" not in self.source  # pca = PCA(); pca.train_pca(x)
            )
            if plain and _TRAINING_FUNCTION.match(name) and not _NOT_TRAINING.search(name):
                self._named.append((call, name, scope))


def _children(node: ast.AST) -> list[ast.AST]:
    """The child nodes that may hold calls, in the order of ``ast.iter_child_nodes``."""
    found: list[ast.AST] = []
    for field in child_fields(type(node)):
        child = getattr(node, field, None)
        if type(child) is list:
            found += child
        elif child is not None:
            found.append(child)
    return found


def _holds_any(function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[int]) -> bool:
    """Whether one of ``lines`` (sorted) lies in the function, decorators included."""
    first, last = span(function)
    at = bisect_left(lines, first)
    return at < len(lines) and lines[at] <= last


#: what the reading walk does with a child node of some type (see :meth:`Program._read`)
_SKIP, _DESCEND, _POSITIONED, _DECORATED, _SCOPE = 0, 1, 2, 3, 4
_plans: dict[type, int] = {}


def _plan(kind: type) -> int:
    if not issubclass(kind, ast.AST) or issubclass(kind, ast.Lambda):
        return _SKIP
    if issubclass(kind, _DEFS):
        return _SCOPE
    if issubclass(kind, ast.ClassDef):
        return _DECORATED
    return _POSITIONED if issubclass(kind, (ast.stmt, ast.expr)) else _DESCEND


def _first(calls: Iterable[ast.Call]) -> ast.Call | None:
    """The first of ``calls`` in source order (the reading walk meets them in another)."""
    return min(calls, key=lambda c: (c.lineno, c.col_offset), default=None)


def _loop_site(calls: list[ast.Call], scope: Scope, closures: set[str]) -> TrainingSite | None:
    """``.backward()`` and an optimiser step in one body; the backward may be in a function
    of the file that the body calls (``train_step(batch)`` then ``optimizer.step()``)."""
    backward = _first(c for c in calls if _method(c) == "backward")
    if backward is None:
        backward = _first(c for c in calls if _callee(c) in closures)
    if backward is None:
        return _closure_site(calls, scope, closures)
    step = _step_in(calls)
    if step is None:
        return None
    what = f"training loop ({_text(backward.func)}() + {_text(step.func)}())"
    return TrainingSite(step, what, scope)


def _update_site(
    calls: list[ast.Call], updates: list[ast.stmt | ast.Call], scope: Scope
) -> TrainingSite | None:
    """``.backward()`` and a hand-written parameter update from the gradient (``p -= lr *
    p.grad``, ``p.data.add_(p.grad, alpha=-lr)``): an optimiser step written out."""
    backward = _first(c for c in calls if _method(c) == "backward")
    updates = [u for u in updates if not _moves_an_input(u, scope)] if backward else []
    if backward is None or not updates:
        return None
    return _update_at(updates[0], f"{_text(backward.func)}()", scope)


def _moves_an_input(update: ast.stmt | ast.Call, scope: Scope) -> bool:
    """The update steps a tensor that the scope feeds to a model (``net(x)``, named for no
    parameter): sampling or visualising by gradient descent on the input (Langevin
    dynamics, DeepDream), which trains nothing."""
    if isinstance(update, ast.Call):
        target: ast.AST = update.func
    else:
        target = update.target if isinstance(update, ast.AugAssign) else update.targets[0]  # type: ignore[attr-defined]
    while isinstance(target, (ast.Attribute, ast.Subscript)):
        target = target.value
    if not isinstance(target, ast.Name) or _PARAMETERS.search(target.id):
        return False
    name = target.id
    return any(
        isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == name
        and _model_call(node)
        for node in ast.walk(scope)
    )


def _model_call(call: ast.Call) -> bool:
    """A call of a model (``net(x)``, ``self.cnn(x)``), not of a builtin or a library
    function (``len(x)``, ``torch.sigmoid(x)``)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id not in _BUILTINS
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id not in _LIBRARIES


_BUILTINS = frozenset(dir(builtins))
_LIBRARIES = frozenset({"torch", "F", "nn", "np", "numpy", "math", "random", "os", "plt"})


def _update_at(update: ast.stmt | ast.expr, gradients: str, scope: Scope) -> TrainingSite:
    """A training site at a hand-written update, ``gradients`` naming what computed them."""
    at = ast.Call(func=ast.Name("update"), args=[], keywords=[])
    at.lineno, at.col_offset = update.lineno, update.col_offset
    shown = _text(update)
    shown = shown if len(shown) < 40 else shown[:36] + " ..."
    return TrainingSite(at, f"training loop ({gradients} + {shown})", scope)


def _step_in(calls: Iterable[ast.Call]) -> ast.Call | None:
    """The first optimiser step among ``calls``: ``optimizer.step()``, not ``scheduler.step()``,
    or a wrapper's step given the optimiser (``mp_trainer.optimize(opt)``)."""
    return _first(c for c in calls if _optimiser_step(c) or _wrapped_step(c))


def _wrapped_step(call: ast.Call) -> bool:
    """``helper.optimize(opt)`` / ``helper.update(optimizer)``: a mixed-precision or
    distributed wrapper steps the optimiser it is given."""
    return (
        _method(call) in ("optimize", "update", "step")
        and len(call.args) == 1
        and isinstance(call.args[0], ast.Name)
        and _OPTIMISER_NAME.fullmatch(call.args[0].id) is not None
    )


_OPTIMISER_NAME = re.compile(r"opt|optim|optimi[sz]er|\w*_opt|\w*_optimi[sz]er", re.I)


_UPDATES = frozenset({"add_", "sub_", "copy_", "addcmul_", "addcdiv_"})
#: what ``torch.autograd.grad(loss, inputs)`` differentiates when it trains: parameters
_PARAMETERS = re.compile(r"param|weight|theta|\bw\b", re.I)


def _autograd_functions(source: str) -> frozenset[str]:
    """How the file calls ``torch.autograd.grad``: ``autograd.grad`` always, and ``grad``
    where ``from torch.autograd import grad`` binds it."""
    if "autograd" not in source:
        return frozenset()
    imported = re.search(r"from torch\.autograd import [^\n]*\bgrad\b", source)
    if imported:
        return frozenset({"autograd.grad", "grad"})
    return frozenset({"autograd.grad"}) if "autograd.grad(" in source else frozenset()


def _autograd_site(
    calls: list[ast.Call], scope: Scope, functions: frozenset[str]
) -> TrainingSite | None:
    """``grads = torch.autograd.grad(loss, params)`` followed by an optimiser step or by a
    step down those gradients (``p.sub_(lr * g)``, ``[w - lr * g for w, g in zip(ws,
    grads)]``, the inner loop of meta-learning). Gradients of inputs (an adversarial
    example, a gradient penalty, a physics residual) train nothing."""
    found = _first(c for c in calls if _grad_of_parameters(c, functions))
    if found is None:
        return None
    shown = f"{_text(found.func)}()"
    step = _step_in(calls)
    if step is not None:
        return TrainingSite(step, f"training loop ({shown} + {_text(step.func)}())", scope)
    update = _descent(scope, _bound_to(scope, found))
    return None if update is None else _update_at(update, shown, scope)


def _called(call: ast.Call) -> str:
    """The called name as :func:`_autograd_functions` spells it: ``autograd.grad``, ``grad``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return f"{_text(func.value).rpartition('.')[2]}.{func.attr}"
    return getattr(func, "id", "")


def _grad_of_parameters(call: ast.Call, functions: frozenset[str]) -> bool:
    if _called(call) not in functions:
        return False
    inputs = call.args[1] if len(call.args) > 1 else None
    inputs = next((k.value for k in call.keywords if k.arg == "inputs"), inputs)
    return inputs is not None and bool(_PARAMETERS.search(_text(inputs)))


def _bound_to(scope: Scope, call: ast.Call) -> set[str]:
    """The names that hold what ``call`` returns (``grads = ...``, ``g, = ...``, ``...[0]``),
    and the loop and comprehension variables that run over them (``zip(params, grads)``)."""
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(v is call for v in ast.walk(node.value)):
            names.update(n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name))
    for node in ast.walk(scope):
        if isinstance(node, (ast.For, ast.comprehension)) and _mentions(node.iter, names):
            names.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
    return names


def _descent(scope: Scope, names: set[str]) -> ast.stmt | ast.expr | None:
    """The first step down the gradients held in ``names``: ``p -= lr * g``, ``p.sub_(...)``,
    ``p.add_(g, alpha=-lr)``, ``w - lr * g``."""
    if not names:
        return None
    for node in ast.walk(scope):
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Sub):
            if _mentions(node.value, names):
                return node
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            if _mentions(node.right, names):
                return node
        elif isinstance(node, ast.Call) and _method(node) in ("sub_", "add_"):
            given = [*node.args, *(k.value for k in node.keywords)]
            if any(_mentions(v, names) for v in given) and (
                _method(node) == "sub_" or any(_negative(n) for v in given for n in ast.walk(v))
            ):
                return node
    return None


def _mentions(node: ast.AST, names: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))


def _manual_update(node: ast.AST) -> bool:
    """A statement or call that moves a tensor against its gradient in place: ``w -= lr *
    w.grad``, ``p.data = p.data - lr * p.grad``, ``p.data.add_(p.grad, alpha=-lr)``. A step
    up the gradient (an adversarial input, ``x.data += eps * x.grad.sign()``) is no update."""
    if isinstance(node, ast.AugAssign):
        values = [node.value] if isinstance(node.op, ast.Sub) else []
        descends = True
    elif isinstance(node, ast.Assign):
        values = [node.value] if any(_is_data(t) for t in node.targets) else []
        descends = False
    elif isinstance(node, ast.Call):
        values = (
            [*node.args, *(k.value for k in node.keywords)] if _method(node) in _UPDATES else []
        )
        descends = _method(node) == "sub_"
    else:
        return False
    nodes = [n for v in values for n in ast.walk(v)]
    if not any(isinstance(n, ast.Attribute) and n.attr == "grad" for n in nodes):
        return False
    return descends or any(_negative(n) for n in nodes)


def _negative(node: ast.AST) -> bool:
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Sub)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.USub)
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and node.value < 0
    )


def _is_data(target: ast.expr) -> bool:
    return isinstance(target, ast.Attribute) and target.attr == "data"


def _closure_site(calls: list[ast.Call], scope: Scope, closures: set[str]) -> TrainingSite | None:
    """``optimizer.step(closure)`` where ``closure`` calls ``.backward()`` (LBFGS and the like)."""
    for call in calls:
        closure = call.args[0] if call.args else None
        if _optimiser_step(call) and isinstance(closure, ast.Name) and closure.id in closures:
            return TrainingSite(call, f"training loop ({_text(call.func)}({closure.id}))", scope)
    return None


def _callee(call: ast.Call) -> str | None:
    """``name`` for ``name(...)`` and ``self.name(...)``: a call of the file's own function."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.attr if func.value.id == "self" else None
    return None


def _method(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _optimiser_step(call: ast.Call) -> bool:
    if _method(call) != "step":
        return False
    receiver = _text(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    return not _NOT_OPTIMISER.search(receiver) or "optim" in receiver.lower()


def _builds_trainer(value: ast.expr) -> bool:
    """``Trainer(...)``, ``pl.Trainer(...)``, ``Seq2SeqTrainer(...)``: a trainer is built."""
    return isinstance(value, ast.Call) and _text(value.func).endswith("Trainer")


def _trainer_receiver(func: ast.expr) -> bool:
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call):  # Trainer(...).fit(model)
        return bool(_TRAINER.search(_text(receiver.func)))
    return bool(_TRAINER.search(_text(receiver)))


def _grad_off(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    if name in _NO_GRAD:
        return True
    if name == "set_grad_enabled" and isinstance(node, ast.Call) and node.args:
        first = node.args[0]
        return isinstance(first, ast.Constant) and first.value is False
    return False


def _checkpoint_function(
    node: ast.FunctionDef | ast.AsyncFunctionDef, calls: list[ast.Call]
) -> bool:
    """Named for checkpoints or state dicts (or taking one), and never stepping."""
    names = [node.name, *(a.arg for a in node.args.args)]
    if not any(_CHECKPOINT_WORDS.search(n) for n in names):
        return False
    return not any(_method(c) in ("backward", "step") for c in calls)


def _text(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError):
        return "..."


def _at_method(call: ast.Call) -> ast.Call:
    """The call, placed where its method name is: ``TrainLoop(...)\\n    ).run_loop()`` is
    reported at the line of ``.run_loop``."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.end_lineno in (None, call.lineno):
        return call
    placed = ast.Call(func=func, args=call.args, keywords=call.keywords)
    placed.lineno = func.end_lineno or call.lineno
    placed.col_offset = max(0, (func.end_col_offset or 0) - len(func.attr) - 1)
    placed.end_lineno, placed.end_col_offset = call.end_lineno, call.end_col_offset
    return placed


def _short_receiver(func: ast.expr) -> str:
    """``TrainLoop(...).run_loop`` for a long receiver expression."""
    if not isinstance(func, ast.Attribute):
        return "..."
    receiver = func.value
    if isinstance(receiver, ast.Call):
        return f"{_text(receiver.func)}(...).{func.attr}"
    return f"{_text(receiver)[:30]}.{func.attr}"


def _words(source: str) -> tuple[str, ...]:
    """The words worth finding in this file: training words only where it may train."""
    words: tuple[str, ...] = _GRADIENT_WORDS
    if "backward" in source:
        words += ("backward", "step", ".grad")  # a manual update reads p.grad
    if "autograd" in source:
        words += ("grad(", "step")  # torch.autograd.grad(loss, params)
    if might_train(source):
        words += _TRAINING_WORDS
    return words
