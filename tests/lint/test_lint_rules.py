"""Every rule runs over its own VALID and INVALID examples; the rules' metadata is complete."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from mltool.lint import configs, registry
from mltool.lint import settle as settlement
from mltool.lint.engine import Linter
from mltool.lint.model import FileReport, Finding, TorchAssumption
from mltool.lint.rule import ProjectRule, Rule

RULES = registry.all_rules()
CODE_RULES = [r for r in RULES if issubclass(r, Rule)]
TORCH = TorchAssumption("2.13.0", "pinned in requirements.lock")
FAMILIES = ("DET1", "DET2", "DET3", "DET4", "PRJ0", "LNT0")


def settle(report: FileReport) -> list[Finding]:
    """Findings of one file linted alone, settled as lint settles a tree of one file."""
    found = settlement.settle([("example.py", report)], set())
    return [replace(f, path="") for f in found]


VALID = [
    pytest.param(rule, source, id=f"{rule.code}-valid-{i}")
    for rule in CODE_RULES
    for i, source in enumerate(rule.valid)
]
INVALID = [
    pytest.param(rule, source, line, id=f"{rule.code}-invalid-{i}")
    for rule in CODE_RULES
    for i, (source, line) in enumerate(rule.invalid)
]


@pytest.mark.parametrize(("rule", "source"), VALID)
def test_valid_example_reports_nothing(rule: type[Rule], source: str) -> None:
    assert settle(Linter([rule], TORCH).lint_source(source)) == []


@pytest.mark.parametrize(("rule", "source", "line"), INVALID)
def test_invalid_example_reports_at_its_line(rule: type[Rule], source: str, line: int) -> None:
    findings = settle(Linter([rule], TORCH).lint_source(source))
    assert [(f.code, f.line) for f in findings] == [(rule.code, line)]
    assert findings[0].name == rule.name and findings[0].hint == rule.hint


@pytest.mark.parametrize(("rule", "source", "line"), INVALID)
def test_invalid_example_is_found_among_all_rules(rule: type[Rule], source: str, line: int) -> None:
    """Rules do not hide each other: with every rule on, the example still reports its code."""
    findings = settle(Linter(CODE_RULES, TORCH).lint_source(source))
    assert (rule.code, line) in [(f.code, f.line) for f in findings]


def test_codes_are_unique_and_in_a_family() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"(DET[1-4]\d\d|PRJ0\d\d|LNT0\d\d)", c) for c in codes), codes
    assert {c[:4] for c in codes} == set(FAMILIES)


def test_names_are_unique_kebab_case() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+|[a-z0-9]+", n) for n in names), names


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_documentation_is_complete(rule: type[Rule] | type[ProjectRule]) -> None:
    for attribute in ("message", "hint", "what", "why"):
        text = getattr(rule, attribute)
        assert isinstance(text, str) and len(text) > 10, attribute
    assert rule.severity in ("error", "warning")
    if issubclass(rule, Rule):
        assert rule.valid or rule.yaml_valid or rule.code == "LNT002"
        assert rule.invalid or rule.yaml_invalid or rule.code == "LNT002"
        assert bool(rule.config_keys) == bool(rule.yaml_invalid)
    else:
        assert rule.example and rule.use_instead


def test_operation_messages_name_the_torch_version() -> None:
    source = "from torch import nn\npool = nn.AvgPool3d(2)\n"
    (finding,) = settle(Linter(CODE_RULES, TORCH).lint_source(source))
    assert finding.message == (
        "nn.AvgPool3d() backward raises under "
        "torch.use_deterministic_algorithms(True) on CUDA "
        "(judged for torch 2.13.0, pinned in requirements.lock)"
    )


class PluginRule(Rule):
    code = "DET499"
    name = "plugin-example"
    message = "a third-party rule"
    hint = "nothing to fix"
    what = "Flags calls of `plugin.bad`."
    why = "It exists to test the entry-point group."
    valid = ("import plugin\nplugin.good()\n",)
    invalid = (("import plugin\nplugin.bad()\n", 2),)
    calls = frozenset({"plugin.bad"})

    def check_call(self, call, name, ctx):  # type: ignore[no-untyped-def]
        ctx.report(self, call)


class FakeEntryPoint:
    def load(self) -> type[Rule]:
        return PluginRule


def test_third_party_rules_come_from_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    def entry_points(group: str) -> list[FakeEntryPoint]:
        return [FakeEntryPoint()] if group == registry.ENTRY_POINT_GROUP else []

    monkeypatch.setattr(registry.metadata, "entry_points", entry_points)
    registry.all_rules.cache_clear()
    try:
        assert registry.by_code("DET499") is PluginRule
        assert [r.code for r in registry.select(("DET499",))] == ["DET499"]
    finally:
        monkeypatch.undo()
        registry.all_rules.cache_clear()
    assert registry.by_code("DET499") is None


YAML_VALID = [
    pytest.param(rule, source, id=f"{rule.code}-yaml-valid-{i}")
    for rule in CODE_RULES
    for i, source in enumerate(rule.yaml_valid)
]
YAML_INVALID = [
    pytest.param(rule, source, line, id=f"{rule.code}-yaml-invalid-{i}")
    for rule in CODE_RULES
    for i, (source, line) in enumerate(rule.yaml_invalid)
]


@pytest.mark.parametrize(("rule", "source"), YAML_VALID)
def test_yaml_valid_example_reports_nothing(rule: type[Rule], source: str) -> None:
    report = configs.lint(source.encode(), [rule])
    assert report.counted and report.findings == ()


@pytest.mark.parametrize(("rule", "source", "line"), YAML_INVALID)
def test_yaml_invalid_example_reports_at_its_line(rule: type[Rule], source: str, line: int) -> None:
    findings = configs.lint(source.encode(), CODE_RULES).findings
    assert [(f.code, f.line) for f in findings if f.code == rule.code] == [(rule.code, line)]
