"""``compare`` and ``compare --export``: read runs from a tracking store or fingerprint files."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from mltool.errors import FingerprintFileError, UsageError
from mltool.verify import exchange, store
from mltool.verify.compare import Comparison, compare
from mltool.verify.record import RunRecord


def read(reference: str, runs: store.Store | None) -> RunRecord:
    """A fingerprint file when ``reference`` names one, else a run of the tracking store."""
    if exchange.is_fingerprint_file(reference):
        return exchange.read(Path(reference))
    if runs is None:
        raise UsageError(f"{reference} is not a fingerprint file", "give a file path or a run")
    return runs.read(reference)


def compare_references(a: str, b: str, uri: str) -> Comparison:
    with tempfile.TemporaryDirectory(prefix="mltool-compare-") as scratch:
        runs = store.Store(uri, Path(scratch))
        return compare(read(a, runs), read(b, runs))


def export(reference: str, destination: Path, uri: str) -> RunRecord:
    """Write the fingerprint of run ``reference`` (with its state dict) to ``destination``."""
    if destination.is_dir():
        raise FingerprintFileError(str(destination), "is a folder")
    if not destination.parent.is_dir():
        raise UsageError(
            f"cannot write {destination}: folder {destination.parent} does not exist",
            "create the folder first, or choose another path",
        )
    with tempfile.TemporaryDirectory(prefix="mltool-compare-") as scratch:
        record = store.Store(uri, Path(scratch)).read(reference)
        state = dict(record.state) if record.state is not None else None
        exchange.write(replace(record, state=state or None), destination)
    return replace(record, state=None)
