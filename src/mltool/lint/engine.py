"""Lint one file's content: parse once, walk once, dispatch nodes to the rules that want them."""

from __future__ import annotations

import ast
import gc
import io
import tokenize
import warnings
from bisect import bisect_left
from collections.abc import Callable, Sequence

from mltool.lint import facts, suppress, vocabulary
from mltool.lint.context import FileContext
from mltool.lint.model import FileReport, Finding, TorchAssumption
from mltool.lint.rule import Rule

MAX_BYTES = 8 * 1024 * 1024
SYNTAX_ERROR = ("LNT001", "syntax-error")
UNREADABLE = ("LNT002", "unreadable-file")

Handler = Callable[[ast.AST, FileContext], None]


class Linter:
    """Holds the dispatch tables for one rule set; lints any number of sources."""

    def __init__(self, rules: Sequence[type[Rule]], torch: TorchAssumption) -> None:
        self.rules = tuple(rules)
        self.torch = torch
        self.codes = frozenset(r.code for r in rules)
        self._words: tuple[str, ...] | None = None

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
        ctx = FileContext(self.torch)
        lines = vocabulary.candidate_lines(source, self.words)
        if lines:
            instances = [rule() for rule in self.rules]
            _walk(tree, self._dispatch(instances, ctx), ctx, lines)
            for rule in instances:
                rule.finish(ctx)
        if "CUBLAS_WORKSPACE_CONFIG" in source:
            ctx.facts.add(facts.CUBLAS_CONFIG)
        found, pending = ctx.findings, ctx.pending
        if "mltool:" in source:
            ignored = suppress.parse(source)
            found = [f for f in found if not ignored.hides(f)]
            pending = [p for p in pending if not ignored.hides(p.finding)]
        return FileReport(tuple(found), tuple(pending), frozenset(ctx.facts))

    def _syntax_error(self, exc: SyntaxError) -> FileReport:
        if SYNTAX_ERROR[0] not in self.codes:
            return FileReport()
        message = f"syntax error: {exc.msg}"
        finding = Finding(
            *SYNTAX_ERROR,
            "error",
            exc.lineno or 1,
            exc.offset or 1,
            message,
            "fix the syntax; nothing else in this file was checked",
        )
        return FileReport((finding,))

    def _dispatch(self, rules: list[Rule], ctx: FileContext) -> dict[type, Handler]:
        by_name: dict[str, list[Rule]] = {}
        by_method: dict[str, list[Rule]] = {}
        by_node: dict[type, list[Rule]] = {}
        for rule in rules:
            for name in rule.calls:
                by_name.setdefault(name, []).append(rule)
            for method in rule.methods:
                by_method.setdefault(method, []).append(rule)
            for node_type in rule.nodes:
                by_node.setdefault(node_type, []).append(rule)
        table: dict[type, Handler] = {}
        for node_type, visitors in by_node.items():
            table[node_type] = _visit_all(visitors)
        table[ast.Call] = _call_handler(by_name, by_method, table.get(ast.Call))
        table[ast.Import] = table[ast.ImportFrom] = _import_handler
        return table


def _visit_all(rules: list[Rule]) -> Handler:
    def handle(node: ast.AST, ctx: FileContext) -> None:
        for rule in rules:
            rule.visit(node, ctx)

    return handle


def _import_handler(node: ast.AST, ctx: FileContext) -> None:
    ctx.imports.add(node)  # type: ignore[arg-type]


def _call_handler(
    by_name: dict[str, list[Rule]], by_method: dict[str, list[Rule]], also: Handler | None
) -> Handler:
    def handle(node: ast.AST, ctx: FileContext) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        func = call.func
        name = ctx.imports.resolve(func)
        if name is not None:
            if name in facts.CALLS:
                facts.observe_call(call, name, ctx)
            if name.startswith("torch.Tensor."):
                _methods(call, name[13:], by_method, ctx)
            else:
                for rule in by_name.get(name, ()):
                    rule.check_call(call, name, ctx)
        elif isinstance(func, ast.Attribute) and func.attr in by_method:
            _methods(call, func.attr, by_method, ctx)
        if also is not None:
            also(node, ctx)

    return handle


def _methods(
    call: ast.Call, method: str, by_method: dict[str, list[Rule]], ctx: FileContext
) -> None:
    if ctx.imports.imports("torch"):
        for rule in by_method.get(method, ()):
            rule.check_call(call, method, ctx)


def _walk(tree: ast.AST, table: dict[type, Handler], ctx: FileContext, lines: list[int]) -> None:
    """Pre-order walk in source order, with the parent of each node in ``ctx.parent``.

    Statements and expressions whose lines hold no word of the rules' vocabulary are skipped
    whole: no rule can report anything inside them (see :mod:`mltool.lint.vocabulary`).
    """
    stack: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
    pop, push, get, fields_of = stack.pop, stack.append, table.get, _fields
    node_type, positioned = ast.AST, (ast.stmt, ast.expr)
    decorated = {ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef}  # start at decorators
    count = len(lines)
    while stack:
        node, parent = pop()
        handler = get(type(node))
        if handler is not None:
            ctx.parent = parent
            handler(node, ctx)
        children: list[ast.AST] = []
        fields = fields_of.get(type(node))
        for field in _child_fields(type(node)) if fields is None else fields:
            child = getattr(node, field, None)
            for item in child if isinstance(child, list) else (child,):
                if isinstance(item, positioned):
                    first = item.lineno
                    if type(item) in decorated and item.decorator_list:  # type: ignore[union-attr]
                        first = item.decorator_list[0].lineno  # type: ignore[union-attr]
                    at = bisect_left(lines, first)
                    if at == count or lines[at] > (item.end_lineno or item.lineno):
                        continue
                    children.append(item)
                elif isinstance(item, node_type):
                    children.append(item)
        for child in reversed(children):
            push((child, node))


_SCALAR_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "attr",
        "arg",
        "module",
        "level",
        "kind",
        "type_comment",
        "is_async",
        "conversion",
        "simple",
        "names",
    }
)
_fields: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Import: (), ast.ImportFrom: ()}


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = tuple(f for f in node_type._fields if f not in _SCALAR_FIELDS)  # type: ignore[attr-defined]
    _fields[node_type] = fields
    return fields


def unreadable(message: str) -> FileReport:
    finding = Finding(
        *UNREADABLE,
        "error",
        1,
        1,
        message,
        "make the file readable UTF-8 Python, or exclude it in [tool.mltool.lint]",
    )
    return FileReport((finding,))
