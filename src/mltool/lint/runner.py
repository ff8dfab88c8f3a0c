"""One lint run: find files, take what the cache knows, lint the rest (in parallel when it
pays), settle pending findings against the project's facts, check the project contract."""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import multiprocessing
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mltool import __version__
from mltool.lint import config as lint_config
from mltool.lint import configs, discovery, notebook, reading, registry, torchversion
from mltool.lint.cache import Cache, content_hash
from mltool.lint.engine import MAX_BYTES, Linter, unreadable
from mltool.lint.model import FileReport, Finding, LintResult
from mltool.lint.rule import AnyRule, ProjectRule, Rule
from mltool.lint.settle import is_package, settle

PARALLEL_FROM = 48  # files to lint before a process pool pays for its start
ENGINE_VERSION = "2"


@dataclass(frozen=True, slots=True)
class Options:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    use_cache: bool = True
    jobs: int | None = None
    respect_gitignore: bool = True


def lint(paths: tuple[Path, ...], options: Options = Options()) -> LintResult:
    root = lint_config.find_root(paths[0])
    settings = lint_config.load(root)
    respect_gitignore = settings.respect_gitignore and options.respect_gitignore
    rules = registry.select(options.select or settings.select, (*settings.ignore, *options.ignore))
    torch = torchversion.assume(root, settings.torch_version)
    linter = Linter([r for r in rules if issubclass(r, Rule)], torch)
    cache = Cache(_cache_key(rules, torch.version, torch.source)) if options.use_cache else None
    placed: list[tuple[str, FileReport]] = []
    digests: dict[str, str] = {}  # shown path -> content hash
    todo: list[discovery.Source] = []
    for source in discovery.sources(paths, settings.exclude, root, respect_gitignore):
        known = _cached(cache, source.path)
        if known is None:
            todo.append(source)
        else:
            digests[source.shown], report = known
            placed.append((source.shown, report))
    cached = len(placed)
    for source, digest, stat, report, hit in _lint_all(linter, cache, todo, options.jobs):
        placed.append((source.shown, report))
        digests[source.shown] = digest
        cached += hit
        if cache is not None and digest and stat is not None:
            cache.store(source.path, stat, digest, report)
    placed.sort(key=lambda item: item[0])  # one order, whichever worker finished first
    run_codes = frozenset(
        r.code for r in linter.rules if r.about_runs or r.training_config or r.data_order
    )
    findings = settled(cache, placed, digests, _project_facts(root), run_codes)
    if cache is not None:
        cache.save()
    findings += _contract(root, paths, [r for r in rules if issubclass(r, ProjectRule)])
    wanted = {r.code for r in rules}
    findings = sorted((f for f in findings if f.code in wanted), key=Finding.sort_key)
    notebooks = sum(1 for shown, _ in placed if shown.endswith(notebook.SUFFIX))
    checked = sum(1 for _, report in placed if report.counted)
    return LintResult(tuple(findings), checked, torch, cached, notebooks)


def _cache_key(rules: tuple[AnyRule, ...], *parts: str) -> str:
    text = "\0".join(
        (
            __version__,
            ENGINE_VERSION,
            *parts,
            *(f"{r.__module__}.{r.code}" for r in rules),
            *_code_stamps(rules),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _code_stamps(rules: tuple[AnyRule, ...]) -> list[str]:
    """Size and modification time of the engine's and the rules' source files, so that an
    edited rule or an upgraded rule plugin never meets reports cached by its old code."""
    files = {*Path(__file__).parent.glob("*.py"), *(Path(inspect.getfile(r)) for r in rules)}
    stamps: list[str] = []
    for file in sorted(files):
        with contextlib.suppress(OSError):
            stat = file.stat()
            stamps.append(f"{file}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


def settled(
    cache: Cache | None,
    placed: list[tuple[str, FileReport]],
    digests: dict[str, str],
    project_facts: set[str],
    run_codes: frozenset[str],
) -> list[Finding]:
    """What :func:`settle` makes of ``placed``; with a cache, the findings its last run
    settled when all that settling reads is unchanged: each file's path and content hash
    (``digests``), the project facts, the run codes and which folders are packages."""
    if cache is None:
        return settle(placed, project_facts, run_codes)
    digest = _settle_digest(placed, digests, project_facts, run_codes)
    findings = cache.settled(digest)
    if findings is None:
        findings = settle(placed, project_facts, run_codes)
        cache.store_settled(digest, findings)
    return findings


def _settle_digest(
    placed: list[tuple[str, FileReport]],
    digests: dict[str, str],
    project_facts: set[str],
    run_codes: frozenset[str],
) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for shown, report in placed:  # a file without a hash (unreadable): its report instead
        hasher.update(f"{shown}\0{digests.get(shown) or repr(report)}\0".encode())
    folders = sorted({posixpath.dirname(shown) for shown, _ in placed})
    packages = [f for f in folders if is_package(f)]
    hasher.update("\0".join([*sorted(project_facts), *sorted(run_codes), *packages]).encode())
    return hasher.hexdigest()


def _cached(cache: Cache | None, path: str) -> tuple[str, FileReport] | None:
    if cache is None:
        return None
    try:
        return cache.by_stat(path, os.stat(path))
    except OSError:
        return None


#: what forked workers inherit: the linter, and the cache to look contents up by their hash
_WORKER: dict[str, Any] = {}
Linted = tuple[discovery.Source, str, "os.stat_result | None", FileReport, bool]


def _lint_one(source: discovery.Source) -> Linted:
    """Read, hash and lint one file; a content the cache knows (a touched or copied file) is
    not linted again."""
    if source.problem:
        return source, "", None, unreadable(source.problem), False
    read = reading.read(source.path, MAX_BYTES)
    if read.problem:
        return source, "", None, unreadable(read.problem), False
    data, stat = read.data, read.stat
    is_notebook = source.path.endswith(notebook.SUFFIX)
    digest = content_hash(data) + os.path.splitext(source.path)[1]
    cache: Cache | None = _WORKER["cache"]
    known = cache.by_hash(digest) if cache is not None else None
    if known is not None:
        return source, digest, stat, known, True
    linter: Linter = _WORKER["linter"]
    if is_notebook:
        return source, digest, stat, notebook.lint(linter, data), False
    if source.path.endswith(configs.SUFFIXES):
        return source, digest, stat, configs.lint(data, linter.rules), False
    return source, digest, stat, linter.lint_bytes(data), False


def _lint_all(
    linter: Linter, cache: Cache | None, todo: list[discovery.Source], jobs: int | None
) -> Iterator[Linted]:
    _WORKER.update(linter=linter, cache=cache)
    workers = jobs or os.cpu_count() or 1
    if (
        workers < 2
        or len(todo) < PARALLEL_FROM
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(_lint_one, todo)
        return
    # big files first, so that no worker is left with one large file at the end
    todo = sorted(todo, key=_size, reverse=True)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(_lint_one, todo, chunksize=4)


def _size(source: discovery.Source) -> int:
    try:
        return os.stat(source.path).st_size
    except OSError:
        return 0


def _project_facts(root: Path) -> set[str]:
    """Facts stated outside Python: the launch files set environment variables."""
    from mltool.lint import facts

    found: set[str] = set()
    for name in ("Dockerfile", "MLproject", ".env"):
        try:
            found |= facts.stated_in_text((root / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def _contract(root: Path, paths: tuple[Path, ...], rules: list[type[ProjectRule]]) -> list[Finding]:
    given = next((p for p in paths if p.is_dir() and p.resolve() == root.resolve()), None)
    if given is None or not rules or not (root / ".mltool.yml").is_file():
        return []
    from mltool.lint.contract import package_name

    package = package_name(root)
    findings: list[Finding] = []
    for rule in rules:
        findings += rule().check(root, package)
    return [
        f.at(os.path.normpath(os.path.join(given, f.path)).replace(os.sep, "/")) for f in findings
    ]
