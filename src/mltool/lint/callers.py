"""Who seeds a random draw: the file that runs it, or the caller of the library code it sits
in. Shared by the randomness rules (DET301, DET302, DET304).

- A draw at module level belongs to the file.
- A draw inside a function or class is the caller's business (see
  :meth:`~mltool.lint.context.FileContext.report_unless`): settled by the entry scripts that
  import the module, or trusted when none is linted.
- Some draws are not part of training at all and are not reported: inside smoke-test
  functions (``test*``, ``*_test``, ``demo*``), in code that never computes gradients
  (sampling under ``torch.no_grad()``), and in the definitions and ``__main__`` block of a
  module whose own code never trains (a model module with a demo under ``__main__``), and
  random tensors in a script that neither trains nor saves anything (:func:`example_input`).
"""

from __future__ import annotations

import ast
import re
from enum import Enum

from mltool.lint import positions
from mltool.lint.context import FileContext

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_SMOKE = re.compile(r"^(test|demo|smoke|example)|_test$")


class Owner(Enum):
    FILE = "file"
    CALLERS = "callers"
    NOBODY = "nobody"  # not part of any training: not reported


def owner(call: ast.AST, ctx: FileContext) -> Owner:
    tree = ctx.tree
    line = getattr(call, "lineno", 0)
    statement = positions.top_level(tree, line) if tree is not None else None
    in_definition = isinstance(statement, _DEFINITIONS)
    if not in_definition and not positions.is_main_block(statement):
        return Owner.FILE
    if in_definition and _SMOKE.search(_function_name(statement, line)):
        return Owner.NOBODY
    model = ctx.program()
    if model.entry and model.defines and not model.trains_itself:
        return Owner.NOBODY  # a module's demo: whoever trains with its definitions seeds
    if model.without_gradients(line):
        return Owner.NOBODY
    return Owner.CALLERS if in_definition else Owner.FILE


def _function_name(statement: ast.stmt | None, line: int) -> str:
    """The name of the top-level function, or of the method, that holds ``line``."""
    if isinstance(statement, ast.ClassDef):
        methods = (
            i for i in statement.body if isinstance(i, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        return next((m.name for m in methods if m.lineno <= line <= (m.end_lineno or m.lineno)), "")
    return getattr(statement, "name", "")


#: torch factories of random tensors: in a script that never trains, example inputs
EXAMPLE_FACTORIES = frozenset(
    f"torch.{n}"
    for n in ("rand", "randn", "rand_like", "randn_like", "randint", "randint_like", "normal")
)
_SAVES = re.compile(r"\b(save\w*|to_csv|to_parquet|dump|write\w*)\(")


def example_input(name: str, ctx: FileContext) -> bool:
    """A random tensor made in an entry script that neither trains (no training call, no call
    named for training, no ``.backward()``) nor saves or writes anything: an input for
    tracing, exporting, profiling or a check, whose values never reach a training run. A
    script that writes out random data is making a data set, and its draws stand."""
    if name not in EXAMPLE_FACTORIES:
        return False
    model = ctx.program()
    source = ctx.source
    if not model.entry or model.trains or "backward(" in source:
        return False
    return not _SAVES.search(source)
