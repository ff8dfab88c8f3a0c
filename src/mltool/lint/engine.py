"""Lint one file's content: parse once, walk once, dispatch nodes to the rules that want them."""

from __future__ import annotations

import ast
import gc
import io
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import replace

from mltool.lint import (
    args,
    bounds,
    conditions,
    facts,
    positions,
    scoping,
    suppress,
    values,
    vocabulary,
)
from mltool.lint.context import FileContext
from mltool.lint.model import FileReport, Finding, TorchAssumption
from mltool.lint.rule import Rule
from mltool.lint.rules.lnt001_syntax_error import SyntaxErrorRule
from mltool.lint.rules.lnt002_unreadable_file import UnreadableFile
from mltool.lint.walk import Handler, walk

MAX_BYTES = 8 * 1024 * 1024
#: the rules (by index) wanting each qualified call name, method name and node type
Indexes = tuple[dict[str, list[int]], dict[str, list[int]], dict[type, list[int]]]


class Linter:
    """Holds the dispatch tables for one rule set; lints any number of sources."""

    def __init__(self, rules: Sequence[type[Rule]], torch: TorchAssumption) -> None:
        self.rules = tuple(rules)
        self.torch = torch
        self.codes = frozenset(r.code for r in rules)
        self._by_code = {r.code: r for r in rules}
        self._words: tuple[str, ...] | None = None
        self._indexes: Indexes | None = None

    @property
    def words(self) -> tuple[str, ...]:
        if self._words is None:
            self._words = vocabulary.words(self.rules)
        return self._words

    def lint_bytes(self, data: bytes) -> FileReport:
        if len(data) > MAX_BYTES:
            return unreadable(f"file is too large to lint ({len(data)} bytes, limit {MAX_BYTES})")
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            source = data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
            return unreadable(f"cannot decode the file: {exc}")
        return self.lint_source(source)

    def lint_source(self, source: str) -> FileReport:
        too_much = bounds.excess(source)
        if too_much:
            return unreadable(too_much)
        collecting = gc.isenabled()
        gc.disable()  # an AST has no reference cycles; collection passes only cost time
        try:
            return self._lint_source(source)
        finally:
            if collecting:
                gc.enable()

    def _lint_source(self, source: str) -> FileReport:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes etc. are not lint's business
                tree = ast.parse(source)
        except SyntaxError as exc:
            return self._syntax_error(exc)
        except (ValueError, MemoryError, RecursionError) as exc:
            return unreadable(f"cannot parse the file: {exc}")
        ctx = FileContext(self.torch, tree, source)
        scan = vocabulary.scan(source, self.words)
        lines = scan.lines
        if lines:
            live = [rule() for rule in self.rules]
            walk(tree, self._dispatch(live, source, scan), ctx, lines)
            facts.establish(ctx)
            for rule in live:
                rule.finish(ctx)
            scoping.drop_outside_training(ctx, self._by_code)
            scoping.drop_order_in_tooling(ctx, self._by_code)
        ctx.facts.update(facts.stated_in_text(source))
        found, pending = ctx.findings, ctx.pending
        if suppress.mentioned(source):
            ignored = suppress.parse(source)
            found = [f for f in found if not ignored.hides(f)]
            pending = [p for p in pending if not ignored.hides(p.finding)]
        at_import, exported = facts.placement(ctx)
        return FileReport(
            tuple(found),
            tuple(pending),
            frozenset(ctx.facts),
            tuple(dict.fromkeys(ctx.modules)),
            positions.is_entry(tree),
            at_import,
            exported,
            options=conditions.unset_options(ctx.option_defaults()),
            guarded=tuple(ctx.guarded),
        )

    def _syntax_error(self, exc: SyntaxError) -> FileReport:
        if SyntaxErrorRule.code not in self.codes:
            return FileReport()
        return FileReport((SyntaxErrorRule.of(exc),))

    def _dispatch(
        self, live: list[Rule], source: str, scan: vocabulary.Scan
    ) -> dict[type, Handler]:
        """The handler of each node type, calling the rule instances ``live`` (one per rule,
        in the order of ``self.rules``) for the file being linted, whose text is ``source``
        (and ``scan`` what the vocabulary found in it)."""
        if self._indexes is None:
            self._indexes = _indexes(self.rules)
        by_name, by_method, by_node = self._indexes
        visiting = [_visits(rule, source, scan) for rule in self.rules]
        table: dict[type, Handler] = {}
        for node_type, indexes in by_node.items():
            visits: list[Handler] = [live[i].visit for i in indexes if visiting[i]]
            if visits:
                table[node_type] = _visit_all(visits)
        table[ast.Call] = _call_handler(by_name, by_method, table.get(ast.Call), live)
        table[ast.Import] = table[ast.ImportFrom] = _import_handler
        return table


def _indexes(rules: Sequence[type[Rule]]) -> Indexes:
    by_name: dict[str, list[int]] = {}
    by_method: dict[str, list[int]] = {}
    by_node: dict[type, list[int]] = {}
    for i, rule in enumerate(rules):
        for name in rule.calls:
            by_name.setdefault(name, []).append(i)
        for method in rule.methods:
            by_method.setdefault(method, []).append(i)
        for node_type in rule.nodes:
            by_node.setdefault(node_type, []).append(i)
    return by_name, by_method, by_node


def _visits(rule: type[Rule], source: str, scan: vocabulary.Scan) -> bool:
    """Whether the rule's ``visit`` is called in this file (see ``Rule.visit_needs``): the
    file's runs of letters and digits rule most texts out before the source is searched."""
    return not rule.visit_needs or any(
        scan.may_hold(text) and text in source for text in rule.visit_needs
    )


def _visit_all(visits: list[Handler]) -> Handler:
    if len(visits) == 1:
        return visits[0]

    def handle(node: ast.AST, ctx: FileContext) -> None:
        for visit in visits:
            visit(node, ctx)

    return handle


def _import_handler(node: ast.AST, ctx: FileContext) -> None:
    ctx.imports.add(node)  # type: ignore[arg-type]
    if isinstance(node, ast.Import):
        ctx.modules.extend(alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = "." * node.level + (node.module or "")
        ctx.modules.append(base)
        ctx.modules.extend(
            f"{base}.{a.name}" if node.module else f"{base}{a.name}"
            for a in node.names
            if a.name != "*"
        )


def _call_handler(
    by_name: dict[str, list[int]],
    by_method: dict[str, list[int]],
    also: Handler | None,
    live: list[Rule],
) -> Handler:
    def handle(node: ast.AST, ctx: FileContext) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        func = call.func
        name = ctx.imports.resolve(func)
        if name is None and isinstance(func, ast.Attribute) and func.attr in facts.METHODS:
            facts.observe_call(call, facts.METHODS[func.attr], ctx)  # fabric.seed_everything
        if name is not None:
            if name in facts.CALLS:
                facts.observe_call(call, name, ctx)
            if name.startswith("torch.Tensor."):
                _methods(call, name[13:], by_method.get(name[13:], ()), live, ctx)
            else:
                for i in by_name.get(name, ()):
                    if not (live[i].cuda_only and call.args and args.on_cpu(call.args[0])):
                        live[i].check_call(call, name, ctx)
        elif isinstance(func, ast.Attribute) and func.attr in by_method:
            _methods(call, func.attr, by_method[func.attr], live, ctx)
        if also is not None:
            also(node, ctx)

    return handle


def _methods(
    call: ast.Call, method: str, rules: Sequence[int], live: list[Rule], ctx: FileContext
) -> None:
    if not ctx.imports.imports("torch") or f"def {method}(" in ctx.source:
        return  # a method of the file's own classes, not the tensor method
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    kind = values.kind(receiver, ctx)
    if kind.not_a_tensor:
        return
    on_cpu = args.on_cpu(receiver)
    found, pending = len(ctx.findings), len(ctx.pending)
    for i in rules:
        if not (on_cpu and live[i].cuda_only):
            live[i].check_call(call, method, ctx)
    if kind is values.Kind.UNKNOWN:
        _hedge(ctx.findings, found)
        ctx.pending[pending:] = [
            replace(p, finding=_hedged(p.finding)) for p in ctx.pending[pending:]
        ]


def _hedge(findings: list[Finding], start: int) -> None:
    findings[start:] = [_hedged(f) for f in findings[start:]]


def _hedged(finding: Finding) -> Finding:
    """A finding on a receiver of unknown kind: it may not be a tensor, or not a CUDA one."""
    message = finding.message.replace(" raises ", " may raise ", 1)
    if message == finding.message:
        return finding
    return replace(finding, message=message, severity="warning")


def unreadable(problem: str) -> FileReport:
    return FileReport((UnreadableFile.of(problem),))
