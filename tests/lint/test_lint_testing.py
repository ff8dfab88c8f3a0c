"""The example check rule authors run on their own rules."""

from __future__ import annotations

import ast

from mltool.lint import registry
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule
from mltool.lint.testing import example_problems


class BadCall(Rule):
    code = "DET999"
    name = "plugin-bad-call"
    message = "plugin.bad() is not reproducible"
    hint = "call plugin.good()"
    what = "Flags plugin.bad()."
    why = "It draws from an unseeded generator."
    valid = ("import plugin\nplugin.good()\n",)
    invalid = (("import plugin\nplugin.bad()\n", 2),)
    calls = frozenset({"plugin.bad"})

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        ctx.report(self, call)


class WrongLine(BadCall):
    code = "DET998"
    invalid = (("import plugin\n\nplugin.bad()\n", 2),)
    valid = ("import plugin\nplugin.bad()\n",)


def test_a_rule_whose_examples_hold_has_no_problems() -> None:
    assert example_problems(BadCall) == []


def test_wrong_examples_are_described() -> None:
    assert example_problems(WrongLine) == [
        "valid example 1 reports DET998 at line 2",
        "invalid example 1 should report DET998 at line 2, reports DET998 at line 3",
    ]


def test_every_built_in_rule_passes_the_check() -> None:
    rules = [r for r in registry.all_rules() if issubclass(r, Rule) and r.valid and r.invalid]
    assert {r.code: example_problems(r) for r in rules if example_problems(r)} == {}
