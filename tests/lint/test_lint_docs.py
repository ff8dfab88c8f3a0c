"""The rule reference page is generated from the rules; the committed copy must be current."""

from __future__ import annotations

from pathlib import Path

import yaml

from mltool.lint import docs, registry

ROOT = Path(__file__).resolve().parents[2]


def test_rule_reference_page_is_current() -> None:
    committed = (ROOT / "docs" / "lint-rules.rst").read_text(encoding="utf-8")
    assert committed == docs.rules_page(), (
        "docs/lint-rules.rst is stale: run `python -m mltool.lint.docs > docs/lint-rules.rst`"
    )


def test_every_rule_has_a_section() -> None:
    page = docs.rules_page()
    for rule in registry.all_rules():
        assert f".. _{rule.code}:" in page
        assert f"{rule.code} ``{rule.name}``" in page


def test_pre_commit_hook_runs_mltool_lint() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("mltool-lint", "mltool lint", "python")
