"""The rule base classes. One rule = one module = one class (see ``rules/``).

A rule states what it looks at (qualified call names, tensor method names, node types) and
the engine hands it only those nodes, during the one walk of each file. Its documentation
and its VALID / INVALID examples live on the class: the tests run the examples and the rule
reference page is generated from them.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from mltool.lint.model import Finding, Severity

if TYPE_CHECKING:
    from mltool.lint.context import FileContext


class Rule:
    """A check over Python source. Subclasses set the class attributes and override hooks."""

    code: ClassVar[str]
    name: ClassVar[str]  # kebab-case, names the bad pattern
    severity: ClassVar[Severity] = "error"
    message: ClassVar[str]
    hint: ClassVar[str]
    what: ClassVar[str]  # docs: What it does
    why: ClassVar[str]  # docs: Why is this bad?
    #: VALID examples report nothing; INVALID examples are (source, line of the finding)
    valid: ClassVar[tuple[str, ...]] = ()
    invalid: ClassVar[tuple[tuple[str, int], ...]] = ()

    calls: ClassVar[frozenset[str]] = frozenset()  # canonical qualified names of callables
    methods: ClassVar[frozenset[str]] = frozenset()  # tensor method names (receiver unknown)
    nodes: ClassVar[tuple[type[ast.AST], ...]] = ()  # other node types to visit
    #: words that the source of every node this rule reports contains (beyond the last part
    #: of ``calls`` and the ``methods``): statements without any are not walked
    words: ClassVar[frozenset[str]] = frozenset()
    #: a pre-filter for ``visit``: it is called only in files whose text holds one of these
    #: strings (empty: in every file). Set it only when nothing ``visit`` sees can lead to a
    #: finding in a file without them (DET401 lists directories only where ``glob``,
    #: ``listdir``, ... is written)
    visit_needs: ClassVar[frozenset[str]] = frozenset()
    #: the rule reports what only CUDA does: a call whose tensor is visibly on the CPU
    #: (``x.cpu().cumsum(0)``, ``F.interpolate(x.to("cpu"), ...)``) is not handed to it
    cuda_only: ClassVar[bool] = False
    #: the operation raises or is non-deterministic only in its backward pass: calls in code
    #: that never computes gradients (``torch.no_grad()``, checkpoint loading, entry scripts
    #: that never train) are not reported (see :mod:`mltool.lint.program`)
    backward_only: ClassVar[bool] = False
    #: a configuration that matters only where training may run: not reported in entry
    #: scripts from which no training is reachable (inference, evaluation, benchmarks)
    training_config: ClassVar[bool] = False
    #: an order (of a listing, of a set) that matters only where data or a model is handled:
    #: not reported in tooling modules, which import a tooling library (``requests``,
    #: ``tabulate``, ``pynvml``, ...) and beside it only the standard library (see
    #: :mod:`mltool.lint.scoping`)
    data_order: ClassVar[bool] = False
    #: a finding about how a training run is set up or seeded: tests and tooling files, which
    #: run no training to reproduce, do not get it (see :mod:`mltool.lint.settle`); true for
    #: every ``training_config`` rule
    about_runs: ClassVar[bool] = False

    #: Hydra / OmegaConf YAML: the (section, key) pairs the rule judges, section ``trainer``
    #: (a mapping that builds a Lightning Trainer) or ``main`` (a Hydra primary config); see
    #: :mod:`mltool.lint.configs`. Examples as for Python: VALID report nothing, INVALID
    #: report at the stated line.
    config_keys: ClassVar[frozenset[tuple[str, str]]] = frozenset()
    yaml_valid: ClassVar[tuple[str, ...]] = ()
    yaml_invalid: ClassVar[tuple[tuple[str, int], ...]] = ()

    def check_config(self, section: str, key: str, value: object) -> str | None:
        """The message for a configuration value that is a finding, or None."""
        return None

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        """Called for calls of ``calls`` (``name`` qualified) and ``methods`` (``name`` bare)."""

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        """Called for every node whose type is in ``nodes``."""

    def finish(self, ctx: FileContext) -> None:
        """Called once after the walk of a file."""

    def finding(
        self, line: int, column: int, message: str | None = None, severity: Severity | None = None
    ) -> Finding:
        return Finding(
            self.code,
            self.name,
            severity or self.severity,
            line,
            column,
            message or self.message,
            self.hint,
        )


class ProjectRule:
    """A check of the project contract, run once for a project made by ``mltool create``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    message: ClassVar[str]
    hint: ClassVar[str]
    what: ClassVar[str]
    why: ClassVar[str]
    #: docs: a short description of a contract breach and of the intact state
    example: ClassVar[str]
    use_instead: ClassVar[str]

    def check(self, project: Path, package: str) -> list[Finding]:
        raise NotImplementedError

    def finding(self, path: str, message: str, line: int = 1, column: int = 1) -> Finding:
        return Finding(self.code, self.name, self.severity, line, column, message, self.hint, path)


AnyRule = type[Rule] | type[ProjectRule]
