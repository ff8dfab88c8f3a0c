"""The words rules look for, and the lines of a file that hold any of them.

A rule can only report a node whose source mentions one of its words: a call that resolves to
``torch.nn.functional.interpolate`` spells ``interpolate`` either at the call or in the import
that bound the name. So a statement none of whose lines holds any word, nor ``import``, is
skipped whole by the walk. Words match where no letter or digit precedes them, so a word that
holds another at such a place (``index_put_`` holds ``put``) or holds an anchor anywhere
(``AvgPool3d`` holds ``Pool``) is not searched itself; a name an import binds with ``as`` to
a name holding a wanted word (``interpolate as resize``) is wanted too.
Every file is still parsed, so syntax errors are always reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from mltool.lint import facts
from mltool.lint.rule import Rule

ALWAYS = ("import", "__import__")  # imports decide what every other name resolves to
#: short pieces that stand for every word holding them: fewer words, fewer scans of a file
ANCHORS = ("Pool", "pool", "Pad", "variate", "Loss", "loss", "random", "Random", "Sampler")


def words(rules: Iterable[type[Rule]]) -> tuple[str, ...]:
    found: set[str] = set(ALWAYS)
    for name in facts.CALLS:
        found.add(name.rpartition(".")[2])
    for rule in rules:
        found.update(name.rpartition(".")[2] for name in rule.calls)
        found.update(rule.methods)
        found.update(rule.words)
    found = {next((a for a in ANCHORS if a in w), w) for w in found}
    return tuple(sorted(w for w in found if not any(o != w and _holds(w, o) for o in found)))


def _holds(word: str, other: str) -> bool:
    """True when every match of ``word`` also is a match of ``other`` (see :func:`_starts`)."""
    if other not in word:
        return False
    if other in ANCHORS or not other.isidentifier():
        return True
    return any(word.startswith(other, i) and _starts(word, i) for i in range(len(word)))


def _starts(text: str, at: int) -> bool:
    """A non-anchor word matches only where no letter or digit precedes it: ``put`` in
    ``x.put_`` and ``index_put_``, never in ``input``."""
    return at == 0 or not text[at - 1].isalnum()


def aliases(source: str, wanted: Sequence[str]) -> tuple[str, ...]:
    """Local names that imports give to wanted names (``interpolate as resize`` -> ``resize``),
    which the source then uses instead of the wanted word."""
    found: list[str] = []
    at = source.find(" as ")
    while at >= 0:
        before = _ALIAS_BEFORE.search(source, max(0, at - 100), at)
        after = _ALIAS_AFTER.match(source, at + 4)
        if before and after and any(w in before.group(1) for w in wanted):
            found.append(after.group(1))
        at = source.find(" as ", at + 4)
    return tuple(dict.fromkeys(found))  # each alias once: every one costs a scan of the source


_ALIAS_BEFORE = re.compile(r"(\w+)\s*$")
_ALIAS_AFTER = re.compile(r"\s*(\w+)")


def candidate_lines(source: str, wanted: tuple[str, ...]) -> list[int]:
    """Sorted 1-based numbers of the lines holding a wanted word or an alias of one."""
    present, positions = _matches(source, wanted)
    if not present:
        return []
    positions += _matches(source, aliases(source, present))[1]
    return _line_numbers(source, positions)


def _matches(source: str, words: Iterable[str]) -> tuple[list[str], list[int]]:
    """The words found anywhere in ``source``, and the offsets where they match.

    One scan of the source per word: a word that is not there costs one failed search.
    """
    present: list[str] = []
    positions: list[int] = []
    find = source.find
    for word in words:
        at = find(word)
        if at < 0:
            continue
        present.append(word)
        anchor, size = word in ANCHORS or not word.isidentifier(), len(word)
        while at >= 0:
            if anchor or at == 0 or not source[at - 1].isalnum():  # see _starts
                positions.append(at)
            at = find(word, at + size)
    return present, positions


def _line_numbers(source: str, positions: list[int]) -> list[int]:
    positions.sort()
    lines: list[int] = []
    line, previous, count = 1, 0, source.count
    for at in positions:
        line += count("\n", previous, at)
        previous = at
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines
