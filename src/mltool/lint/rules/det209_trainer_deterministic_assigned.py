from __future__ import annotations

import ast

from mltool.lint import args
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class TrainerDeterministicAssigned(Rule):
    code = "DET209"
    name = "trainer-deterministic-assigned"
    training_config = True
    message = "setting trainer.deterministic after the Trainer is built does nothing"
    hint = "pass deterministic=True when building it: Trainer(deterministic=True)"
    what = (
        "Flags assignments to `.deterministic` on a trainer (a name or attribute holding "
        "`trainer`, or a name bound to a Lightning `Trainer(...)`)."
    )
    why = (
        "Lightning applies `deterministic` once, while the Trainer is built; assigning the "
        "attribute later leaves torch's flags as they were."
    )
    valid = (
        "import lightning as L\ntrainer = L.Trainer(deterministic=True)\n",
        "import torch\ntorch.backends.cudnn.deterministic = True\n",
    )
    invalid = (
        ("import lightning as L\ntrainer = L.Trainer()\ntrainer.deterministic = True\n", 3),
        ("from lightning.pytorch import Trainer\nt = Trainer()\nt.deterministic = True\n", 3),
    )
    calls = frozenset({"lightning.pytorch.Trainer"})
    nodes = (ast.Assign,)
    words = frozenset({"deterministic"})
    visit_needs = words  # the attribute assigned

    def __init__(self) -> None:
        self.trainers: set[str] = set()
        self.assigned: list[ast.Assign] = []

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        assign = ctx.parent
        if isinstance(assign, ast.Assign):
            self.trainers.update(t.id for t in assign.targets if isinstance(t, ast.Name))

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        assign: ast.Assign = node  # type: ignore[assignment]
        enables = args.literal(assign.value) in (True, "warn")
        for target in assign.targets:
            attribute = isinstance(target, ast.Attribute) and target.attr == "deterministic"
            if attribute and enables and ctx.resolve(target) is None:
                self.assigned.append(assign)

    def finish(self, ctx: FileContext) -> None:
        for assign in self.assigned:
            target = next(t for t in assign.targets if isinstance(t, ast.Attribute))
            receiver = ast.unparse(target.value)
            if "trainer" in receiver.lower() or receiver in self.trainers:
                ctx.report(self, assign, f"{receiver}.deterministic = ...: {self.message}")
