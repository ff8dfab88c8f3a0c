"""Does a statement run in the default run? Seeds and switches set only under
``if args.seed is not None:`` with an argparse default of ``None`` (or under a ``store_true``
flag) leave the default run unseeded or non-deterministic.

A condition is judged by putting the command-line defaults the file declares
(``parser.add_argument("--seed", default=None)``, also through an alias such as ``arg =
parser.add_argument``) in place of ``args.seed``; a condition that cannot be judged counts as
true, so only a provably skipped branch is reported. A condition on an option the file does
not declare is a :class:`Guard`, judged when facts are settled against the options that the
modules it imports declare (``from utils.args import get_main_args``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from mltool.lint.args import UNKNOWN, literal
from mltool.lint.positions import ancestors


@dataclass(frozen=True, slots=True)
class Skipped:
    """Why a statement does not run by default: ``"--seed is not given (default None)"``."""

    reason: str


@dataclass(frozen=True, slots=True)
class Guard:
    """A branch that runs only when an option the file does not declare is set: it is
    skipped when that option's default is one of ``skips`` (``"None"``, ``"False"``, ``"0"``)."""

    option: str
    skips: frozenset[str]


#: the defaults an option declared elsewhere is judged for: unset values, off flags, zero
_UNSET = (None, False, 0)


def option_defaults(nodes: list[ast.AST]) -> dict[str, object]:
    """``dest -> default`` for every ``add_argument("--name", ...)`` call among a file's
    ``nodes``, also through an alias (``arg = parser.add_argument``)."""
    defaults: dict[str, object] = {}
    aliases = {
        target.id
        for node in nodes
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "add_argument"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "add_argument") or (
            isinstance(func, ast.Name) and func.id in aliases
        ):
            dest = destination(node)
            if dest is not None:
                defaults[dest] = _default(node)
    return defaults


def unset_options(defaults: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """The options whose default leaves them unset or off: ``(("seed", "None"), ...)``."""
    return tuple(
        sorted((dest, repr(d)) for dest, d in defaults.items() if any(d is u for u in _UNSET))
    )


def guard(
    tree: ast.Module, node: ast.AST, defaults: Callable[[], dict[str, object]]
) -> Guard | None:
    """The innermost condition over ``node`` that reads an option the file does not declare
    and that an unset default would make false (``if args.seed is not None:``)."""
    chain = ancestors(tree, node)
    pairs = list(zip(chain, [*chain[1:], node], strict=True))
    for parent, child in reversed(pairs):
        if not (isinstance(parent, ast.If) and any(child is s for s in parent.body)):
            continue
        option = _read(parent.test)
        if option is None or option in defaults():
            continue
        skips = frozenset(
            repr(unset) for unset in _UNSET if _judge(parent.test, {option: unset})[1] is False
        )
        if skips:
            return Guard(option, skips)
    return None


def _read(test: ast.expr) -> str | None:
    """The option a test reads: ``args.seed``, ``not args.seed``, ``args.seed is not None``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _read(test.operand)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        return _option(test.left)
    return _option(test)


def skipped_by_default(
    tree: ast.Module, node: ast.AST, defaults: Callable[[], dict[str, object]]
) -> Skipped | None:
    """Why ``node`` does not run in a run with the default options, or None when it may."""
    chain = ancestors(tree, node)
    for parent, child in zip(chain, [*chain[1:], node], strict=True):
        if isinstance(parent, ast.If) and any(child is s for s in parent.body):
            option, value = _judge(parent.test, defaults())
            if value is False:
                flag = option.replace("_", "-")
                return Skipped(f"--{flag} is set (its default is {_show(option, defaults())})")
    return None


def _judge(test: ast.expr, defaults: dict[str, object]) -> tuple[str, object]:
    """The option a test reads and the test's value with that option at its default."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        option, value = _judge(test.operand, defaults)
        return option, (not value) if isinstance(value, bool) else UNKNOWN
    read = _option(test)
    if read is not None and read in defaults:
        default = defaults[read]
        return read, bool(default) if default is not UNKNOWN else UNKNOWN
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left = _option(test.left)
        right = test.comparators[0]
        if left is None or left not in defaults or defaults[left] is UNKNOWN:
            return "", UNKNOWN
        option = left
        default, other = defaults[option], literal(right)
        if other is UNKNOWN:
            return option, UNKNOWN
        op = test.ops[0]
        if isinstance(op, ast.IsNot):
            return option, default is not other
        if isinstance(op, ast.Is):
            return option, default is other
        if isinstance(op, ast.Eq):
            return option, default == other
        if isinstance(op, ast.NotEq):
            return option, default != other
    return "", UNKNOWN


def _option(node: ast.expr) -> str | None:
    """``args.seed`` / ``opt.seed`` / ``cfg.train.seed`` -> ``seed``."""
    return node.attr if isinstance(node, ast.Attribute) else None


def destination(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "dest" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    long = next((f for f in flags if f.startswith("--")), None)
    name = long or next((f for f in flags if not f.startswith("-")), None)
    return name.lstrip("-").replace("-", "_") if name else None


def unset_by_default(value: ast.expr, defaults: dict[str, object]) -> str | None:
    """The option that ``value`` reads (``args.seed``) when the file declares it with a
    default of None: the default run passes None (``random_state=args.seed``)."""
    if not (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)):
        return None
    declared = value.attr in defaults
    return value.attr if declared and defaults[value.attr] is None else None


#: the default of a required option: it is always given
_REQUIRED = "<required>"


def _default(call: ast.Call) -> object:
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if "required" in keywords and literal(keywords["required"]) is True:
        return _REQUIRED
    action = literal(keywords["action"]) if "action" in keywords else None
    if "default" in keywords:
        return literal(keywords["default"])
    if action == "store_true":
        return False
    if action == "store_false":
        return True
    return None


def _show(option: str, defaults: dict[str, object]) -> str:
    return repr(defaults[option]) if defaults[option] is not None else "None"
