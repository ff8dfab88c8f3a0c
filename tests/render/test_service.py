"""``service.create``: the one call behind ``mltool create``, with a scripted asker."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from mltool.errors import CreateCancelled
from mltool.render.questions import Question
from mltool.render.service import CreatePlan, CreateRequest, Prompting, create


class ScriptedAsker:
    """Answers from a dict (empty reply: take the default); records what it was asked."""

    def __init__(self, replies: dict[str, str], confirm: bool = True) -> None:
        self.replies, self.accept = replies, confirm
        self.asked: list[Question] = []
        self.plans: list[CreatePlan] = []

    def choose_template(self, names: Sequence[str], default: str) -> str:
        return default

    def answer(self, question: Question) -> str:
        self.asked.append(question)
        return self.replies.get(question.key) or question.default or ""

    def confirm(self, plan: CreatePlan) -> bool:
        self.plans.append(plan)
        return self.accept


REPLIES = {"project_name": "My Net", "author_name": "Ada Lovelace", "author_email": "a@b.org"}


def test_asks_what_is_missing_with_defaults_from_earlier_answers(tmp_path: Path) -> None:
    asker = ScriptedAsker(REPLIES)
    request = CreateRequest(
        output_dir=tmp_path, assignments=("description=Nets.",), prompting=Prompting.ASK
    )
    outcome = create(request, asker)
    asked = {q.key: q for q in asker.asked}
    assert list(asked) == [
        "project_name",
        "author_name",
        "author_email",
        "github_owner",
        "license",
        "version",
        "year",
    ]
    assert asked["github_owner"].default == "ada-lovelace"
    assert asked["license"].choices == ("MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0")
    assert all(q.help for q in asker.asked)
    assert asker.plans[0].target == tmp_path / "my-net" == outcome.project.path
    assert outcome.unasked == ()


def test_declining_the_plan_creates_nothing(tmp_path: Path) -> None:
    request = CreateRequest(output_dir=tmp_path, prompting=Prompting.ASK)
    with pytest.raises(CreateCancelled):
        create(request, ScriptedAsker(REPLIES, confirm=False))
    assert os.listdir(tmp_path) == []


def test_without_a_terminal_the_defaulted_answers_are_named(tmp_path: Path) -> None:
    given = tuple(f"{k}={v}" for k, v in REPLIES.items())
    outcome = create(
        CreateRequest(output_dir=tmp_path, assignments=given, prompting=Prompting.NO_TERMINAL)
    )
    assert outcome.unasked == (
        "template",
        "description",
        "github_owner",
        "license",
        "version",
        "year",
    )


def test_an_asker_is_needed_exactly_when_asking(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="asker"):
        create(CreateRequest(output_dir=tmp_path, prompting=Prompting.ASK))
