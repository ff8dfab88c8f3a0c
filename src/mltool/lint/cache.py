"""The lint cache: file content hash -> that file's report, for one rule set.

It lives outside the linted tree (the user cache directory, or ``MLTOOL_CACHE_DIR``), one
JSON file per key (mltool version, rule codes and the stamps of their code, assumed torch
version); only the most recently written few are kept. A file whose size and
modification time are unchanged is looked up by the content hash recorded for it; anything
else is read, hashed and looked up by that hash. The findings that the last run settled are
kept too, under a digest of all it settled (see :func:`mltool.lint.runner.settled`): a run
over an unchanged tree does not settle again. A cache that cannot be read or does not have
the expected shape is discarded, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from mltool.lint.model import FileReport, Finding, Pending

FORMAT = 9
MAX_ENTRIES = 100_000
KEEP_FILES = 8  # cache files for other keys (rule sets, torch versions, mltool versions)
STALE_TEMPORARY_S = 3600  # a temporary file this old was left by a killed run


def directory() -> Path:
    configured = os.environ.get("MLTOOL_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mltool")) / "lint"


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Cache:
    def __init__(self, key: str, where: Path | None = None) -> None:
        self.path = (where or directory()) / f"lint-{key}.json"
        self.index: dict[str, list[Any]] = {}  # absolute path -> [mtime_ns, size, hash]
        self.entries: dict[str, list[Any]] = {}  # hash -> encoded report
        self.run: list[Any] = ["", []]  # [digest of what was settled, the settled findings]
        self.dirty = False
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return
            index, entries, run = data["index"], data["entries"], data["run"]
            if not isinstance(index, dict) or not isinstance(entries, dict):
                return
            if isinstance(run, list) and len(run) == 2 and isinstance(run[1], list):
                self.run = run
            self.index, self.entries = index, entries
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self.index, self.entries = {}, {}

    def by_stat(self, path: str, stat: os.stat_result) -> tuple[str, FileReport] | None:
        """The content hash and the report of a file whose size and modification time are
        those recorded for it."""
        known = self.index.get(os.path.abspath(path))
        try:
            if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
                report = self.by_hash(known[2])
                return None if report is None else (known[2], report)
        except (TypeError, IndexError, KeyError):
            pass  # a damaged index entry: the file is read and linted
        return None

    def by_hash(self, digest: str) -> FileReport | None:
        encoded = self.entries.get(digest) if isinstance(digest, str) else None
        if encoded is None:
            return None
        try:
            return _decode(encoded)
        except (ValueError, TypeError, IndexError, KeyError, RecursionError):
            del self.entries[digest]  # a damaged entry is dropped and recomputed
            return None

    def store(self, path: str, stat: os.stat_result, digest: str, report: FileReport) -> None:
        self.index[os.path.abspath(path)] = [stat.st_mtime_ns, stat.st_size, digest]
        self.entries[digest] = _encode(report)
        self.dirty = True

    def settled(self, digest: str) -> list[Finding] | None:
        """The findings of the last settled run, if what it settled had this digest."""
        if self.run[0] != digest:
            return None
        try:
            return [_from_list(f[1:]).at(str(f[0])) for f in self.run[1]]
        except (ValueError, TypeError, IndexError, KeyError):
            self.run = ["", []]
            return None

    def store_settled(self, digest: str, findings: list[Finding]) -> None:
        self.run = [digest, [[f.path, *_finding(f)] for f in findings]]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        if len(self.entries) > MAX_ENTRIES:
            self.index, self.entries = {}, {}
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            body = json.dumps(
                {"format": FORMAT, "index": self.index, "entries": self.entries, "run": self.run},
                separators=(",", ":"),
            )
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".lint-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as stream:
                    stream.write(body)
                os.replace(temporary, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
            prune(self.path.parent)


def prune(where: Path, keep: int = KEEP_FILES) -> None:
    """Delete all but the ``keep`` most recently written cache files, and temporary files
    that killed runs left behind."""
    now = time.time()
    written: list[tuple[float, Path]] = []
    for path in sorted(where.glob("*lint-*")):
        with contextlib.suppress(OSError):
            modified = path.stat().st_mtime
            if path.name.startswith(".lint-"):
                if now - modified > STALE_TEMPORARY_S:
                    path.unlink()
            elif path.suffix == ".json":
                written.append((modified, path))
    for _, path in sorted(written, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            path.unlink()


def _encode(report: FileReport) -> list[Any]:
    return [
        [_finding(f) for f in report.findings],
        [
            [
                p.unless,
                _finding(p.finding),
                p.callers_decide,
                p.orphans_only,
                p.imported_only,
                p.needs,
            ]
            for p in report.pending
        ],
        sorted(report.facts),
        list(report.imports),
        report.entry,
        sorted(report.at_import),
        [[name, sorted(found)] for name, found in report.exported],
        report.counted,
        [list(o) for o in report.options],
        [[option, list(skips), list(found)] for option, skips, found in report.guarded],
    ]


def _finding(f: Finding) -> list[Any]:
    return [f.code, f.name, f.severity, f.line, f.column, f.message, f.hint, f.cell]


def _decode(encoded: list[Any]) -> FileReport:
    findings, pending, facts, imports, entry, at_import, exported, counted, options, guarded = (
        encoded
    )
    return FileReport(
        tuple(_from_list(f) for f in findings),
        tuple(
            Pending(str(u), _from_list(f), bool(c), bool(o), bool(i), str(n))
            for u, f, c, o, i, n in pending
        ),
        frozenset(str(f) for f in facts),
        tuple(str(m) for m in imports),
        bool(entry),
        frozenset(str(f) for f in at_import),
        tuple((str(n), frozenset(str(f) for f in found)) for n, found in exported),
        bool(counted),
        tuple((str(d), str(v)) for d, v in options),
        tuple(
            (str(o), tuple(str(s) for s in skips), tuple(str(f) for f in found))
            for o, skips, found in guarded
        ),
    )


def _from_list(item: list[Any]) -> Finding:
    code, name, severity, line, column, message, hint, cell = item
    if severity not in ("error", "warning") or not all(
        isinstance(n, int) for n in (line, column, cell)
    ):
        raise ValueError("bad cache entry")
    return Finding(str(code), str(name), severity, line, column, str(message), str(hint), cell=cell)
