"""Fingerprint files: a run's fingerprint carried to another machine (``compare --export``).

A file is a ZIP archive holding ``fingerprint.json`` (run id, weight hash, environment,
parameters, per-tensor digest, metric histories) and, when the run logged it,
``state_dict.npz``. Runs from two machines, say two GPU models, can then be compared without a
shared tracking server.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from mltool.errors import FingerprintFileError
from mltool.verify.record import RunRecord, tensors_from_json, tensors_to_json

FORMAT = 1
_DOCUMENT = "fingerprint.json"
_STATE = "state_dict.npz"


def is_fingerprint_file(reference: str) -> bool:
    return Path(reference).is_file()


def write(record: RunRecord, path: Path) -> None:
    """Write ``record`` to ``path`` (replaced atomically: never a half-written file)."""
    document = {
        "format": FORMAT,
        "run_id": record.run_id,
        "weights_sha256": record.weights_sha256,
        "environment": dict(record.environment),
        "params": dict(record.params),
        **tensors_to_json(record.tensors),
        "metrics": {name: [list(point) for point in h] for name, h in record.metrics.items()},
    }
    partial = path.with_name(f".{path.name}.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_DOCUMENT, json.dumps(document, indent=1, sort_keys=True))
        if record.state:
            archive.writestr(_STATE, _npz(record.state))
    partial.replace(path)


def read(path: Path) -> RunRecord:
    try:
        with zipfile.ZipFile(path) as archive:
            document = json.loads(archive.read(_DOCUMENT))
            state = _arrays(archive.read(_STATE)) if _STATE in archive.namelist() else None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FingerprintFileError(str(path), _reason(exc)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FingerprintFileError(str(path), f"not a format {FORMAT} fingerprint file")
    try:
        return RunRecord(
            run_id=str(document["run_id"]),
            weights_sha256=str(document["weights_sha256"]),
            environment={str(k): str(v) for k, v in document["environment"].items()},
            params={str(k): str(v) for k, v in document["params"].items()},
            tensors=tensors_from_json(document),
            metrics={
                str(name): tuple((int(step), float(value)) for step, value in points)
                for name, points in document["metrics"].items()
            },
            state=state,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FingerprintFileError(str(path), _reason(exc)) from None


def _npz(state: Any) -> bytes:
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **{name: state[name] for name in state})
    return buffer.getvalue()


def _arrays(data: bytes) -> dict[str, Any]:
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}


def _reason(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "not a fingerprint file (not a ZIP archive)"
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return str(exc) or type(exc).__name__
