"""Settle pending findings against the facts of the code that runs them.

A fact (a seed, deterministic algorithms) counts for a file when what runs that file
establishes it, never merely because some other file in the tree does:

- an entry script (it runs something: a ``__main__`` block, module-level work, a notebook)
  counts its own facts and those of the project modules it imports, transitively;
- a library module counts its own facts and imports, and those of every entry script that
  imports it (its callers); a library module that no linted entry imports counts the facts of
  every linted file that is not a test, except for findings its callers decide (random draws
  in library code, training loops in the classes of a package module: a library ``Trainer``),
  which its unknown caller is trusted to seed and set up;
- tests, ``conftest.py``, CI and tooling files count only for themselves: a test that enables
  deterministic algorithms does not make a training script deterministic; nor do they run
  training: a test that calls ``train(cfg)`` or draws ``torch.randn`` inputs gets no findings
  about how runs are set up or seeded, nor about the order of listings and sets, which
  feeds no training there (``run_codes``);
- a fact set only under ``if args.seed is not None:`` where the parser lives in a module the
  file imports counts unless that module declares ``--seed`` with a default of ``None``
  (``False`` for flags): the default run skips the branch;
- a finding that matters only with something the code builds (the cuBLAS workspace with a
  cuDNN RNN) stands only where what runs the file builds it, as for facts.

Imports are matched to linted files by module path (``from pkg.data import x`` finds
``.../pkg/data.py``); among several candidates the one nearest the importing file wins.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from mltool.lint.facts import derived
from mltool.lint.model import FileReport, Finding, Pending

#: the folders of CI services' configuration and helper scripts
_CI_FOLDERS = (
    ".github", ".gitlab", ".circleci", ".buildkite", ".azure-pipelines", ".jenkins", ".ci",
    ".actions", ".devcontainer",
)  # fmt: skip
_TEST_FOLDERS = frozenset({"test", "tests", "testing", "docs", "ci", *_CI_FOLDERS})
_TOOLING = frozenset({"setup.py", "noxfile.py", "conftest.py", "tasks.py", "fabfile.py"})


@dataclass(frozen=True, slots=True)
class _File:
    shown: str
    report: FileReport
    tooling: bool


def settle(
    placed: list[tuple[str, FileReport]],
    project_facts: set[str],
    run_codes: frozenset[str] = frozenset(),
) -> list[Finding]:
    """The findings that stand; ``run_codes``: rules about how training runs are set up or
    seeded and about the order of listings and sets, which tests and tooling files do not
    get."""
    files = [_File(shown, report, is_tooling(shown)) for shown, report in placed]
    graph = _ImportGraph(files)
    findings: list[Finding] = []
    # configuration files (a trainer YAML's deterministic: true) hold for the whole project
    project_facts = set(project_facts).union(
        *(f.report.facts for f in files if f.shown.endswith((".yaml", ".yml")))
    )
    shared = (f.report.facts for f in files if not f.tooling)
    everywhere = derived(set(project_facts).union(*shared))
    for index, file in enumerate(files):
        skipped = run_codes if file.tooling else frozenset()
        findings += (f.at(file.shown) for f in file.report.findings if f.code not in skipped)
        if not file.report.pending:
            continue
        own = graph.facts(index) | project_facts
        callers = graph.entries_importing(index) if not file.report.entry else []
        orphan = not file.report.entry and not file.tooling and not callers
        imported = graph.imported(index)
        for pending in file.report.pending:
            fact = pending.unless
            if pending.finding.code in skipped:
                continue
            if pending.imported_only and not imported:
                continue
            if not fact:
                findings.append(pending.finding.at(file.shown))
                continue
            if pending.orphans_only and callers:
                continue  # the entry scripts that import it report their training calls
            if _library_trainer(pending) and (
                in_package(file.shown) or graph.entries_importing(index)
            ):
                continue
            if fact in own or any(fact in graph.facts(c) for c in callers):
                continue
            if pending.needs and not (
                pending.needs in own or any(pending.needs in graph.facts(c) for c in callers)
            ):
                continue
            if orphan and (fact in everywhere or _draw_callers_decide(pending)):
                continue
            findings.append(pending.finding.at(file.shown))
    return findings


def _library_trainer(pending: Pending) -> bool:
    """A set-up finding at a training loop in a class of a module that does not train by
    itself (a library ``Trainer``): its callers decide, when the module is part of a package
    or an entry script imports it (and reports its own training call)."""
    return pending.orphans_only and pending.callers_decide


def _draw_callers_decide(pending: Pending) -> bool:
    """Random draws in library code: the unknown caller is trusted to seed."""
    return pending.callers_decide and not pending.orphans_only


def in_package(shown: str) -> bool:
    """The file sits in a folder with an ``__init__.py``: a package that code imports."""
    return is_package(posixpath.dirname(shown))


def is_package(folder: str) -> bool:
    return os.path.isfile(posixpath.join(folder, "__init__.py"))


def is_tooling(shown: str) -> bool:
    """Tests, test configuration, CI, docs and packaging scripts."""
    parts = shown.split("/")
    name = parts[-1]
    return (
        name in _TOOLING
        or name.startswith("test_")
        or name.endswith("_test.py")
        or any(p in _TEST_FOLDERS for p in parts[:-1])
    )


class _ImportGraph:
    def __init__(self, files: list[_File]) -> None:
        self.files = files
        self.by_module: dict[str, list[int]] = {}
        for index, file in enumerate(files):
            for name in _module_names(file.shown):
                self.by_module.setdefault(name, []).append(index)
        self._edges: dict[int, list[int]] = {}
        self._facts: dict[int, frozenset[str]] = {}
        self._called: dict[tuple[int, str], bool] = {}
        self._texts: dict[int, str] = {}
        self._importers: dict[int, list[int]] = {}

    def facts(self, index: int) -> frozenset[str]:
        """What the file and the project modules it imports (transitively) establish; tests
        count only for tests."""
        known = self._facts.get(index)
        if known is None:
            tooling = self.files[index].tooling
            reach = self._reach[index]
            members = [
                self.files[i]
                for i in self._providers
                if reach >> i & 1 and i != index and (tooling or not self.files[i].tooling)
            ]
            found = set(self.files[index].report.facts)
            for option, skips, guarded in self.files[index].report.guarded:
                if not self._declared_unset(index, option, skips):
                    found.update(guarded)
            callers = [index, *self._imports(index)]
            for member in members:
                found |= member.report.at_import
                for name, facts in member.report.exported:
                    if not facts <= found and any(self._calls(c, name) for c in callers):
                        found |= facts
            known = self._facts[index] = frozenset(derived(found))
        return known

    def _declared_unset(self, index: int, option: str, skips: tuple[str, ...]) -> bool:
        """A module the file imports declares ``option`` with a default in ``skips``: the
        file's ``if args.seed is not None:`` branch does not run by default."""
        reach = self._reach[index]
        return any(
            reach >> i & 1 and (option, default) in self.files[i].report.options
            for i in self._declaring
            for default in skips
        )

    @cached_property
    def _declaring(self) -> list[int]:
        """The files that declare command-line options left unset by default."""
        return [i for i, f in enumerate(self.files) if f.report.options]

    @cached_property
    def _providers(self) -> list[int]:
        """The files that establish facts when imported or called."""
        return [i for i, f in enumerate(self.files) if f.report.at_import or f.report.exported]

    def _calls(self, index: int, name: str) -> bool:
        """Whether a file calls ``name``: ``name(`` in its text, not as a definition, or
        ``name`` passed as an argument, to be called by what it is passed to
        (``run(cfg, init_fn=prepare)``, ``functools.partial(prepare, cfg)``)."""
        key = (index, name)
        known = self._called.get(key)
        if known is None:
            text = self._text(index)
            needle = name + "("
            known = name in text and (
                text.count(needle) > text.count("def " + needle) + text.count("class " + needle)
                or _passed_as_argument(name).search(text) is not None
            )
            self._called[key] = known
        return known

    def _text(self, index: int) -> str:
        text = self._texts.get(index)
        if text is None:
            try:
                with open(self.files[index].shown, encoding="utf-8", errors="replace") as stream:
                    text = stream.read()
            except OSError:
                text = ""
            self._texts[index] = text
        return text

    @cached_property
    def _reach(self) -> list[int]:
        """For each file, a bit set of the files its imports reach (itself included):
        strongly connected components in reverse topological order, each the union of its
        members and of the components it imports."""
        count = len(self.files)
        reach = [1 << i for i in range(count)]
        for component in _components(count, self._imports):
            bits = 0
            for member in component:
                bits |= reach[member]
                for target in self._imports(member):
                    bits |= reach[target]
            for member in component:
                reach[member] = bits
        return reach

    def imported(self, index: int) -> bool:
        """Some other linted file (not a test) imports this one directly."""
        return index in self._imported

    @cached_property
    def _imported(self) -> set[int]:
        return {
            target
            for other, file in enumerate(self.files)
            if not file.tooling
            for target in self._imports(other)
        }

    def entries_importing(self, index: int) -> list[int]:
        """The entry scripts (not tests) whose imports reach the file."""
        known = self._importers.get(index)
        if known is None:
            reach = self._reach
            known = self._importers[index] = [
                e for e in self._entries if e != index and reach[e] >> index & 1
            ]
        return known

    @cached_property
    def _entries(self) -> list[int]:
        return [i for i, f in enumerate(self.files) if f.report.entry and not f.tooling]

    def _imports(self, index: int) -> list[int]:
        edges = self._edges.get(index)
        if edges is None:
            file = self.files[index]
            edges = self._edges[index] = [
                target
                for module in file.report.imports
                for target in self._resolve(file.shown, module)
                if target != index
            ]
        return edges

    def _resolve(self, shown: str, module: str) -> Iterable[int]:
        if module.startswith("."):
            dots = len(module) - len(module.lstrip("."))
            package = _package_parts(shown)
            if dots > 1:
                package = package[: -(dots - 1)] if dots - 1 <= len(package) else []
            module = ".".join([*package, module[dots:]]).strip(".")
        candidates = self.by_module.get(module, [])
        if len(candidates) <= 1:
            return candidates
        here = posixpath.dirname(shown)
        return [min(candidates, key=lambda c: _distance(here, self.files[c].shown))]


@lru_cache(maxsize=1024)
def _passed_as_argument(name: str) -> re.Pattern[str]:
    return re.compile(rf"[(,=]\s*{re.escape(name)}\s*[,)]")


def _module_names(shown: str) -> list[str]:
    """Every dotted suffix of the file's module path: ``a/b/c.py`` -> ``c``, ``b.c``,
    ``a.b.c``; a package's ``__init__.py`` names the package."""
    parts = [p for p in shown.split("/") if p not in ("", ".", "..")]
    if not parts:
        return []
    parts[-1] = parts[-1].rsplit(".", 1)[0]
    if parts[-1] == "__init__":
        parts.pop()
    return [".".join(parts[i:]) for i in range(len(parts))]


def _package_parts(shown: str) -> list[str]:
    parts = [p for p in shown.split("/") if p not in ("", ".", "..")]
    return parts[:-1]


def _distance(here: str, other: str) -> int:
    return _folder_distance(here, posixpath.dirname(other))


@lru_cache(maxsize=4096)
def _folder_distance(here: str, there: str) -> int:
    try:
        common = posixpath.commonpath([here or ".", there or "."])
    except ValueError:  # one absolute, one relative
        return 1 << 16
    return here.count("/") + there.count("/") - 2 * common.count("/")


def _components(count: int, edges: Callable[[int], list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, each after the components it reaches."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: list[list[int]] = []
    for root in range(count):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges(node)
            if child < len(targets):
                work.append((node, child + 1))
                target = targets[child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            for target in targets:
                if target in on_stack:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found
