"""The words rules look for, and the lines of a file that hold any of them.

A rule can only report a node whose source mentions one of its words: a call that resolves to
``torch.nn.functional.interpolate`` spells ``interpolate`` either at the call or in the import
that bound the name. So a statement none of whose lines holds any word, nor ``import``, is
skipped whole by the walk. Words match as whole pieces of names: where no letter or digit
precedes or follows them (``set`` in ``set(x)`` and ``set_seed``, never in ``setattr``), so a
word that holds another as such a piece (``index_put_`` holds ``put``) or holds an anchor
anywhere (``AvgPool3d`` holds ``Pool``) is not searched itself; a name an import binds with
``as`` to a name holding a wanted word (``interpolate as resize``) is wanted too.
Every file is still parsed, so syntax errors are always reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from mltool.lint import facts
from mltool.lint.rule import Rule

ALWAYS = ("import", "__import__")  # imports decide what every other name resolves to
#: short pieces that stand for every word holding them: fewer words, fewer scans of a file
ANCHORS = (
    "Pool", "pool", "Pad", "variate", "Loss", "loss", "random", "Random", "Sampler", "seed"
)  # fmt: skip


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
    """True when every match of ``word`` also is a match of ``other`` (see :func:`_whole`)."""
    if other not in word:
        return False
    if other in ANCHORS or not other.isidentifier():
        return True
    return any(word.startswith(other, i) and _whole(word, i, len(other)) for i in range(len(word)))


def _whole(text: str, at: int, size: int) -> bool:
    """A non-anchor word matches only where no letter or digit precedes or follows it:
    ``put`` in ``x.put_(`` and ``index_put_``, never in ``input`` or ``putting``."""
    end = at + size
    return (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def aliases(source: str, wanted: Sequence[str]) -> tuple[str, ...]:
    """Local names that imports give to wanted names (``interpolate as resize`` -> ``resize``),
    which the source then uses instead of the wanted word."""
    found: list[str] = []
    holds_word = _any_of(tuple(wanted)).search
    at = source.find(" as ")
    while at >= 0:
        before = _name_before(source, at)
        after = _ALIAS_AFTER.match(source, at + 4)
        if before and after and holds_word(before):
            found.append(after.group(1))
        at = source.find(" as ", at + 4)
    return tuple(dict.fromkeys(found))  # each alias once: every one costs a scan of the source


_ALIAS_AFTER = re.compile(r"\s*(\w+)")


def _name_before(source: str, at: int) -> str:
    """The word (letters, digits, ``_``) that ends, but for white space, just before ``at``,
    looking back at most 100 characters."""
    start = max(0, at - 100)
    end = at
    while end > start and source[end - 1].isspace():
        end -= 1
    first = end
    while first > start and (source[first - 1].isalnum() or source[first - 1] == "_"):
        first -= 1
    return source[first:end]


@lru_cache(maxsize=8)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@dataclass(frozen=True, slots=True)
class Scan:
    """What one look at a file's text found: the candidate lines, and its words."""

    lines: list[int]  #: sorted 1-based numbers of the lines holding a wanted word or alias
    runs: bytes  #: the distinct runs of ASCII letters and digits in the text, space-separated

    def may_hold(self, text: str) -> bool:
        """False when ``text`` is surely not in the source: a run of letters and digits in it
        is part of no run of the source."""
        return all(piece in self.runs for piece in text.encode().translate(_TO_RUNS).split())


def scan(source: str, wanted: tuple[str, ...]) -> Scan:
    """Find the lines holding a wanted word or an alias of one (see :func:`_present`)."""
    runs = set(source.encode("utf-8", "surrogatepass").translate(_TO_RUNS).split())
    joined = b" ".join(runs)
    positions = _matches(source, _present(source, wanted, runs, joined))[1]
    positions += _matches(source, aliases(source, wanted))[1]
    return Scan(_line_numbers(source, positions), joined)


#: bytes that may be part of a word: the others (and every non-ASCII byte) become spaces
_RUN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_TO_RUNS = bytes(c if c in _RUN_BYTES else 0x20 for c in range(256))


@dataclass(frozen=True, slots=True)
class _Probes:
    """How to tell cheaply whether a wanted word may match in a source (see :func:`_present`).

    - ``in_text``: searched in the source itself (words that are not identifiers);
    - ``in_runs``: anchors, which match anywhere: inside some run of letters and digits;
    - ``at_runs``: the other words, which match only as whole pieces of names:
      ``(word, pieces)``, where ``pieces`` (those between ``_``) must all be runs of the
      source (``index_add`` needs the runs ``index`` and ``add``).
    """

    in_text: tuple[str, ...]
    in_runs: tuple[tuple[str, bytes], ...]
    at_runs: tuple[tuple[str, frozenset[bytes]], ...]


@lru_cache(maxsize=8)
def _probes(wanted: tuple[str, ...]) -> _Probes:
    in_text: list[str] = []
    in_runs: list[tuple[str, bytes]] = []
    at_runs: list[tuple[str, frozenset[bytes]]] = []
    for word in wanted:
        if word in ANCHORS or not word.isidentifier():  # matches anywhere
            if word.isascii() and word.isalnum():
                in_runs.append((word, word.encode()))
            else:
                in_text.append(word)
        elif not word.isascii() or not word.strip("_"):
            in_text.append(word)
        else:
            at_runs.append((word, frozenset(p.encode() for p in word.split("_") if p)))
    return _Probes(tuple(in_text), tuple(in_runs), tuple(at_runs))


def _present(source: str, wanted: tuple[str, ...], runs: set[bytes], joined: bytes) -> list[str]:
    """The wanted words that may match in ``source``: all that do, and a few that do not.

    Searching the source once per word costs most of the time when most words are absent, so
    the words are first looked up among the source's distinct ``runs`` of letters and digits
    (``joined`` by spaces): each piece of a word that matches as whole pieces of a name is a
    run, and an anchor lies inside a run. Only the words found there are searched in the
    source.
    """
    probes = _probes(wanted)
    found = [word for word in probes.in_text if word in source]
    found += [word for word, probe in probes.in_runs if probe in joined]
    found += [word for word, pieces in probes.at_runs if pieces <= runs]
    return found


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
            if anchor or _whole(source, at, size):
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
