"""What lint knows about torch versions, as data.

Each entry names a behaviour and the first torch release in which it changed. Making an
operation "deterministic since 2.16" is one line here; rules ask :func:`fixed_in`.
Sources: the ``torch.use_deterministic_algorithms`` docstrings of 2.13 and 2.15, the alert
call sites of the 2.15 binaries and the Python decompositions in ``torch/nn/functional.py``.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

NEWEST_KNOWN = "2.15.0"

#: behaviour -> first torch version in which the operation is deterministic on CUDA under
#: ``torch.use_deterministic_algorithms(True)`` (before it, the backward or forward raises).
DETERMINISTIC_SINCE: dict[str, str] = {
    "interpolate-bicubic": "2.15",  # upsample_bicubic2d_vec decomposition (absent in 2.13)
    "reflection-pad-2d": "2.15",  # deterministic backward kernel, no alert in 2.15
    "cumsum": "2.15",  # deterministic scan; the 2.13 docstring lists it as raising
}

#: torch stopped checking CUBLAS_WORKSPACE_CONFIG (pytorch PR 161749, October 2025): the first
#: release after it no longer raises without the variable. cuDNN RNNs still need it.
CUBLAS_CHECK_REMOVED_IN = "2.10"


def parse(version: str) -> Version | None:
    try:
        return Version(version)
    except InvalidVersion:
        return None


def before(version: str, release: str) -> bool:
    """True when ``version`` is older than ``release`` (unknown versions count as older)."""
    parsed = parse(version)
    return parsed is None or parsed.release < Version(release).release


def nondeterministic(behaviour: str, version: str) -> bool:
    """True when ``behaviour`` still raises under deterministic algorithms in ``version``."""
    return before(version, DETERMINISTIC_SINCE[behaviour])
