"""Hydra / OmegaConf YAML configuration: trainer settings at the line that sets them.

Two kinds of mapping are judged, wherever they sit in a YAML file:

- a *trainer* mapping builds a Lightning ``Trainer``: its ``_target_`` names one
  (``lightning.pytorch.Trainer``, ``pytorch_lightning.Trainer``, ...), or it is a Hydra group
  file that extends one (a ``defaults`` list beside trainer keys such as ``accelerator``,
  ``devices``, ``max_epochs``, ``deterministic`` or ``benchmark``);
- a *main* mapping is a Hydra primary config: a ``defaults`` list at the top of the file.

Rules judge (section, key) pairs through :meth:`~mltool.lint.rule.Rule.check_config`.
``deterministic: true`` in a trainer mapping establishes the same facts as
``Trainer(deterministic=True)``. Other YAML files are not checked and not counted.
Suppression comments (``# mltool: ignore[DET201]``, ``# noqa: DET201``) work on YAML lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import yaml

from mltool.lint import facts
from mltool.lint.model import FileReport, Finding
from mltool.lint.rule import Rule

SUFFIXES = (".yaml", ".yml")
_TRAINER_TARGET = re.compile(
    r"^(lightning\.pytorch|pytorch_lightning|lightning)(\.trainer)*\.Trainer$"
)
_TRAINER_KEYS = frozenset(
    {"accelerator", "devices", "max_epochs", "min_epochs", "deterministic", "benchmark"}
)
_DIRECTIVE = re.compile(r"#\s*mltool:\s*ignore\b(?:\[([^\]]*)\])?")
_NOQA = re.compile(r"#\s*noqa\s*:\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*)", re.I)

Section = str  # "trainer" or "main"


def lint(data: bytes, rules: Sequence[type[Rule]]) -> FileReport:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return FileReport(counted=False)
    if "_target_" not in text and "defaults" not in text:
        return FileReport(counted=False)
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return FileReport(counted=False)
    sections = [s for d in documents if d is not None for s in _sections(d, top=True)]
    if not sections:
        return FileReport(counted=False)
    live = [rule() for rule in rules if rule.config_keys]
    found: list[Finding] = []
    established: set[str] = set()
    for section, mapping in sections:
        for key_node, value_node in mapping.value:
            key = key_node.value
            value = _scalar(value_node)
            if section == "trainer" and key == "deterministic":
                established.update(facts.of_lightning_deterministic(value))
            for rule in live:
                if (section, key) not in rule.config_keys:
                    continue
                message = rule.check_config(section, key, value)
                if message is not None:
                    mark = value_node.start_mark
                    found.append(rule.finding(mark.line + 1, mark.column + 1, message))
    hidden = _suppressed(text)
    kept = tuple(f for f in found if not _hides(hidden.get(f.line, ()), f.code))
    return FileReport(kept, facts=frozenset(established))


def _sections(node: yaml.Node, top: bool) -> Iterator[tuple[Section, yaml.MappingNode]]:
    if isinstance(node, yaml.MappingNode):
        keys = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        target = keys.get("_target_")
        if isinstance(target, yaml.ScalarNode) and _TRAINER_TARGET.match(str(target.value)):
            yield "trainer", node
        elif "defaults" in keys and top and not _TRAINER_KEYS.intersection(keys):
            yield "main", node
        elif "defaults" in keys and _TRAINER_KEYS.intersection(keys):
            yield "trainer", node
        for _, value in node.value:
            yield from _sections(value, top=False)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _sections(item, top=False)


def _scalar(node: yaml.Node) -> object:
    """A scalar's value as YAML reads it (``true``, ``null``, ``42``, ``warn``); other nodes
    are returned as they are."""
    if not isinstance(node, yaml.ScalarNode):
        return node
    try:
        return yaml.safe_load(node.value) if node.style is None else node.value
    except yaml.YAMLError:
        return node.value


def _suppressed(text: str) -> dict[int, tuple[str, ...]]:
    found: dict[int, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        codes: list[str] = []
        for match in _DIRECTIVE.finditer(line):
            codes += [c.strip().upper() for c in (match.group(1) or "*").split(",") if c.strip()]
        for match in _NOQA.finditer(line):
            codes += [c.upper() for c in re.split(r"[\s,]+", match.group(1)) if c]
        if codes:
            found[number] = tuple(codes)
    return found


def _hides(codes: Sequence[str], code: str) -> bool:
    return any(c == "*" or code.startswith(c) for c in codes)
