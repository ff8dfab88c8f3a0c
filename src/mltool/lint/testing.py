"""Check a lint rule against its own examples: for rule authors, built-in or third-party.

Every rule carries ``valid`` sources (which must report nothing) and ``invalid`` ones, each with
the line the rule must report. :func:`example_problems` lints each example alone, as ``mltool
lint`` lints a one-file tree, and says what did not hold. A plugin's test suite needs one line::

    assert example_problems(MyRule) == []
"""

from __future__ import annotations

from mltool.lint import settle
from mltool.lint.engine import Linter
from mltool.lint.model import Finding, TorchAssumption
from mltool.lint.rule import Rule


def example_problems(rule: type[Rule], torch_version: str = "2.13.0") -> list[str]:
    """What is wrong with ``rule`` on its own examples; empty when every example holds."""
    linter = Linter([rule], TorchAssumption(torch_version, "assumed by the example check"))
    problems = []
    for number, source in enumerate(rule.valid, 1):
        found = _findings(linter, source)
        if found:
            problems.append(f"valid example {number} reports {_listed(found)}")
    for number, (source, line) in enumerate(rule.invalid, 1):
        found = _findings(linter, source)
        if [(f.code, f.line) for f in found] != [(rule.code, line)]:
            problems.append(
                f"invalid example {number} should report {rule.code} at line {line}, "
                f"reports {_listed(found) or 'nothing'}"
            )
    if not rule.valid or not rule.invalid:
        problems.append("a rule needs at least one valid and one invalid example")
    return problems


def _findings(linter: Linter, source: str) -> list[Finding]:
    return settle.settle([("example.py", linter.lint_source(source))], set())


def _listed(findings: list[Finding]) -> str:
    return ", ".join(f"{f.code} at line {f.line}" for f in findings)
