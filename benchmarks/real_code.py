"""How precise is ``mltool lint`` on real training code? Re-lints local checkouts of public
training code bases and scores the findings against hand-made judgements.

Files (all in ``benchmarks/realcode/``):

- ``manifest.toml``: the code bases: name, repository, commit and the subtrees checked out;
- ``judgements.csv``: ``codebase,path,line,code,verdict,reason``, one row per finding judged by
  reading the code at that line. ``TP``: a real training-determinism risk in code that trains
  or feeds training. ``doubtful``: literally true but doubtful (inference or evaluation only,
  a loader shuffling on an already seeded global generator, library code whose caller seeds).
  ``FP``: wrong (not a tensor, the order is fixed later, nothing trains, ...). A judgement is
  about the code at that line, so it stays valid as the linter changes; a run prints the
  findings nobody has judged yet as "unjudged" (``--unjudged FILE`` writes them out as CSV
  for judging);
- ``misses.csv``: ``codebase,path,line,expected_code,reason``: risks the linter does not
  report, noticed while reading the code. The line is that of the training call (``.fit``,
  ``trainer.train()``, ``train_one_epoch(...)``, the loop's ``optimizer.step()``) or of the
  statement at fault. A miss counts as found when a finding with that code is reported at
  that line.

Printed, per code base, per rule family (DET1 .. DET4) and overall: findings, TP, doubtful,
FP, unjudged, precision over all judged findings (TP / judged; target 0.8) and precision
with the doubtful ones left out (TP / (TP + FP); target 0.9), then the misses found. The
script always exits 0: it measures, it does not gate. A missing checkout is reported and
skipped.

How the corpus was made (the code stays outside this repository; never commit it): each
repository's snapshot at the manifest's commit, as a bare git directory ``REPO.git``, then
for each code base::

    mkdir -p CORPUS/NAME
    git --git-dir=REPO.git archive COMMIT SUBTREE... | tar -x -C CORPUS/NAME

Usage::

    python benchmarks/real_code.py [--corpus DIR] [--unjudged FILE]

``--corpus`` is the folder holding one checkout per code base, named as in the manifest
(default ``MLTOOL_CORPUS`` if set, else ``.corpus/`` in the repository root, which git ignores).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomllib

from mltool.lint.runner import Options, lint

HERE = Path(__file__).resolve().parent / "realcode"
CORPUS = Path(os.environ.get("MLTOOL_CORPUS") or HERE.parent.parent / ".corpus")
VERDICTS = ("TP", "doubtful", "FP")
FAMILIES = ("DET1", "DET2", "DET3", "DET4")
Key = tuple[str, str, int, str]  # codebase, path in its checkout, line, code


@dataclass(frozen=True, slots=True)
class Codebase:
    name: str
    repo: str
    commit: str
    subtrees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Seen:
    """One finding of this run, placed in its code base."""

    key: Key
    message: str


def manifest(path: Path) -> list[Codebase]:
    with open(path, "rb") as stream:
        table = tomllib.load(stream)
    return [
        Codebase(c["name"], c["repo"], c["commit"], tuple(c.get("subtrees", ())))
        for c in table["codebase"]
    ]


def judgements(path: Path) -> dict[Key, str]:
    verdicts: dict[Key, str] = {}
    with open(path, newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["verdict"] not in VERDICTS:
                sys.exit(f"{path}: unknown verdict {row['verdict']!r} in {row}")
            verdicts[(row["codebase"], row["path"], int(row["line"]), row["code"])] = row["verdict"]
    return verdicts


def misses(path: Path) -> list[Key]:
    with open(path, newline="", encoding="utf-8") as stream:
        return [
            (r["codebase"], r["path"], int(r["line"]), r["expected_code"])
            for r in csv.DictReader(stream)
        ]


def lint_codebase(name: str, checkout: Path) -> list[Seen]:
    result = lint((checkout,), Options(use_cache=False))
    root = os.path.abspath(checkout)
    return [
        Seen(
            (
                name,
                os.path.relpath(os.path.abspath(f.path), root).replace(os.sep, "/")
                + (f":cell {f.cell}" if f.cell else ""),
                f.line,
                f.code,
            ),
            f.message,
        )
        for f in result.findings
    ]


@dataclass(frozen=True, slots=True)
class Tally:
    counts: Counter[str]

    @classmethod
    def of(cls, keys: Iterable[Key], verdicts: dict[Key, str]) -> Tally:
        return cls(Counter(verdicts.get(k, "unjudged") for k in keys))

    def row(self, label: str) -> str:
        c = self.counts
        tp, doubtful, fp = c["TP"], c["doubtful"], c["FP"]
        judged = tp + doubtful + fp
        return (
            f"{label:<30} {sum(c.values()):>8} {tp:>5} {doubtful:>8} {fp:>5} {c['unjudged']:>8}"
            f" {_ratio(tp, judged):>8} {_ratio(tp, tp + fp):>10}"
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


HEADER = (
    f"{'':<30} {'findings':>8} {'TP':>5} {'doubtful':>8} {'FP':>5} {'unjudged':>8}"
    f" {'all':>8} {'no-doubt':>10}"
)


def report(seen: list[Seen], verdicts: dict[Key, str], names: list[str]) -> None:
    print(HEADER)
    for name in names:
        print(Tally.of((s.key for s in seen if s.key[0] == name), verdicts).row(name))
    print()
    for family in FAMILIES:
        keys = (s.key for s in seen if s.key[3].startswith(family))
        print(Tally.of(keys, verdicts).row(family))
    print()
    print(Tally.of((s.key for s in seen), verdicts).row("overall"))


def report_misses(seen: list[Seen], listed: list[Key], linted: set[str]) -> None:
    keys = {s.key for s in seen}
    open_misses = [m for m in listed if m[0] in linted]
    found = [m for m in open_misses if m in keys]
    by_code = Counter(m[3] for m in open_misses)
    found_by_code = Counter(m[3] for m in found)
    detail = ", ".join(f"{c} {found_by_code[c]}/{n}" for c, n in sorted(by_code.items()))
    print(f"\nmisses listed: {len(open_misses)}, now found: {len(found)} ({detail})")


def write_unjudged(path: Path, seen: list[Seen], verdicts: dict[Key, str]) -> int:
    rows = [s for s in seen if s.key not in verdicts]
    with open(path, "w", newline="", encoding="utf-8") as stream:
        out = csv.writer(stream)
        out.writerow(("codebase", "path", "line", "code", "message"))
        out.writerows((*s.key, s.message) for s in rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--unjudged", type=Path, help="write the unjudged findings here (CSV)")
    options = parser.parse_args()
    verdicts = judgements(HERE / "judgements.csv")
    seen: list[Seen] = []
    linted: list[str] = []
    for codebase in manifest(HERE / "manifest.toml"):
        checkout = options.corpus / codebase.name
        if not checkout.is_dir():
            print(f"skipped {codebase.name}: no checkout at {checkout}")
            continue
        seen += lint_codebase(codebase.name, checkout)
        linted.append(codebase.name)
    report(seen, verdicts, linted)
    report_misses(seen, misses(HERE / "misses.csv"), set(linted))
    if options.unjudged:
        count = write_unjudged(options.unjudged, seen, verdicts)
        print(f"{count} unjudged findings written to {options.unjudged}")


if __name__ == "__main__":
    main()
