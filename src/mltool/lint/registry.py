"""Find the rules: built-in ones by walking :mod:`mltool.lint.rules`, third-party ones through
the ``mltool.lint_rules`` entry-point group. There is no registration list."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache
from importlib import metadata

from mltool.errors import UsageError
from mltool.lint import rules as rules_package
from mltool.lint.rule import AnyRule, ProjectRule, Rule

ENTRY_POINT_GROUP = "mltool.lint_rules"


@cache
def all_rules() -> tuple[AnyRule, ...]:
    """Every known rule class, sorted by code."""
    found: dict[str, AnyRule] = {}
    for module in _modules():
        for rule in _rules_in(module):
            other = found.setdefault(rule.code, rule)
            if other is not rule:
                raise UsageError(
                    f"lint rule code {rule.code} is defined twice "
                    f"({other.__module__} and {rule.__module__})",
                    "uninstall one of the plugins that define it",
                )
    return tuple(found[code] for code in sorted(found))


def _modules() -> list[object]:
    names = sorted(m.name for m in pkgutil.iter_modules(rules_package.__path__))
    modules: list[object] = [
        importlib.import_module(f"{rules_package.__name__}.{n}") for n in names
    ]
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        modules.append(entry.load())
    return modules


def _rules_in(module: object) -> list[AnyRule]:
    if inspect.isclass(module):
        candidates = [module]
    else:
        candidates = [v for v in vars(module).values() if inspect.isclass(v)]
    return [
        c
        for c in candidates
        if issubclass(c, (Rule, ProjectRule)) and c not in (Rule, ProjectRule) and "code" in vars(c)
    ]


def by_code(code: str) -> AnyRule | None:
    return next((r for r in all_rules() if r.code == code.upper()), None)


def select(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> tuple[AnyRule, ...]:
    """Rules whose code starts with a ``select`` entry (all when empty) and with no ``ignore``
    entry. Unknown codes or prefixes are a usage error."""
    known = [r.code for r in all_rules()]
    for entry in (*select, *ignore):
        if not any(code.startswith(entry.upper()) for code in known):
            raise UsageError(
                f"unknown rule code or prefix {entry!r}",
                "see `mltool lint --list-rules` for the codes",
            )
    chosen = [
        r
        for r in all_rules()
        if (not select or _starts(r.code, select)) and not _starts(r.code, ignore)
    ]
    return tuple(chosen)


def _starts(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(p.upper()) for p in prefixes)
