"""Resolve names in a module to qualified names, as imports bind them.

``import torch.nn.functional as F`` makes ``F.interpolate`` resolve to
``torch.nn.functional.interpolate``; ``from torch import nn`` makes ``nn.Upsample`` resolve to
``torch.nn.Upsample``. Names that no import binds resolve to nothing, so a local function
called ``interpolate`` or a variable called ``bincount`` never matches a torch rule.
"""

from __future__ import annotations

import ast

#: prefixes that name the same module under another spelling, mapped to one canonical form
_CANONICAL_PREFIXES = (
    ("pytorch_lightning.", "lightning.pytorch."),
    ("lightning.fabric.utilities.seed.", "lightning.pytorch."),
    ("lightning.fabric.", "lightning.pytorch."),
    ("torch.nn.modules.", "torch.nn."),
    ("torch.utils.data.dataloader.", "torch.utils.data."),
    ("torch.utils.data.dataset.", "torch.utils.data."),
    ("torch.utils.data.sampler.", "torch.utils.data."),
    ("torchvision.datasets.samplers.clip_sampler.", "torchvision.datasets.samplers."),
    ("numpy.random.mtrand.", "numpy.random."),
)
_LIGHTNING_TOP = {"lightning.Trainer", "lightning.seed_everything"}


def canonical(name: str) -> str:
    if name in _LIGHTNING_TOP:
        return "lightning.pytorch." + name.rpartition(".")[2]
    for prefix, replacement in _CANONICAL_PREFIXES:
        if name.startswith(prefix):
            name = replacement + name[len(prefix) :]
            break
    if (
        name.startswith("torch.nn.")
        and name.count(".") == 3
        and not name.startswith(("torch.nn.functional.", "torch.nn.init.", "torch.nn.utils."))
    ):
        # torch.nn.pooling.AdaptiveAvgPool2d (from torch.nn.modules.pooling) -> torch.nn.X
        name = "torch.nn." + name.rpartition(".")[2]
    if name.startswith("lightning.pytorch.") and name.count(".") > 2:
        name = "lightning.pytorch." + name.rpartition(".")[2]
    return name


class ImportTable:
    """Local name -> qualified name, filled as the walk meets import statements."""

    __slots__ = ("names",)

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def add(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.names[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    self.names[top] = top
            return
        if node.level or not node.module:
            return  # relative imports name the project's own modules
        for alias in node.names:
            if alias.name != "*":
                self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def resolve(self, node: ast.expr) -> str | None:
        """Qualified, canonical name of a ``Name`` or ``a.b.c`` chain rooted in an import."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.names.get(node.id)
        if base is None:
            return None
        parts.append(base)
        return canonical(".".join(reversed(parts)))

    def imports(self, prefix: str) -> bool:
        return any(q == prefix or q.startswith(prefix + ".") for q in self.names.values())
