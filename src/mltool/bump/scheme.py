"""The version scheme: PEP 440 versions, and the next version for ``--part``.

Projects start at a development release such as ``0.1.0.dev0``: "the work towards 0.1.0".
Every release segment is read as ``MAJOR.MINOR.PATCH`` (missing parts are 0; the result always
has three). A development or pre-release version already *is* on the way to its release, so
``major``/``minor``/``patch`` first finish it when it already has that shape:

===============  =============  =============  =============  ===============  ================
current          ``major``      ``minor``      ``patch``      ``pre``          ``dev``
===============  =============  =============  =============  ===============  ================
0.1.0.dev0       1.0.0          0.1.0          0.1.0          0.1.0rc0         0.1.0.dev1
0.1.0            1.0.0          0.2.0          0.1.1          0.1.1rc0         0.1.1.dev0
0.1.1rc0         1.0.0          0.2.0          0.1.1          0.1.1rc1         0.1.1rc1.dev0
0.1.1rc1.dev0    1.0.0          0.2.0          0.1.1          0.1.1rc1         0.1.1rc1.dev1
1.0.0.dev2       1.0.0          1.0.0          1.0.0          1.0.0rc0         1.0.0.dev3
1.0.0.post1      2.0.0          1.1.0          1.0.1          1.0.1rc0         1.0.1.dev0
===============  =============  =============  =============  ===============  ================

Alpha and beta pre-releases keep their letter (``1.0.0a1`` -> ``pre`` -> ``1.0.0a2``). The epoch
is kept; a local version label (``+abc``) is dropped.
"""

from __future__ import annotations

from enum import Enum

from packaging.version import InvalidVersion, Version

from mltool.errors import InvalidVersionNumber, VersionNotIncreasing


class Part(str, Enum):
    """What ``--part`` raises."""

    MAJOR = "major"
    MINOR = "minor"
    PATCH = "patch"
    PRE = "pre"
    DEV = "dev"


def parse(text: str) -> Version:
    """``text`` as a PEP 440 version; raises InvalidVersionNumber."""
    try:
        return Version(text.strip())
    except InvalidVersion:
        raise InvalidVersionNumber(text) from None


def next_version(current: Version, part: Part) -> Version:
    """The version that ``--part part`` bumps ``current`` to (see the table above)."""
    major, minor, patch = (*current.release, 0, 0)[:3]
    unfinished = (current.pre is not None or current.dev is not None) and current.post is None
    if part is Part.MAJOR:
        return _make(
            current, (major, 0, 0) if unfinished and minor == patch == 0 else (major + 1, 0, 0)
        )
    if part is Part.MINOR:
        return _make(
            current, (major, minor, 0) if unfinished and patch == 0 else (major, minor + 1, 0)
        )
    if part is Part.PATCH:
        return _make(current, (major, minor, patch) if unfinished else (major, minor, patch + 1))
    if part is Part.PRE:
        return _next_pre(current, (major, minor, patch), unfinished)
    return _next_dev(current, (major, minor, patch), unfinished)


def _next_pre(current: Version, release: tuple[int, int, int], unfinished: bool) -> Version:
    if not unfinished:
        return _make(current, _next_patch(release), pre=("rc", 0))
    if current.pre is None:
        return _make(current, release, pre=("rc", 0))
    letter, number = current.pre
    return _make(current, release, pre=(letter, number if current.dev is not None else number + 1))


def _next_dev(current: Version, release: tuple[int, int, int], unfinished: bool) -> Version:
    if current.dev is not None:
        return _make(current, current.release, current.pre, current.post, current.dev + 1)
    if unfinished and current.pre is not None:
        letter, number = current.pre
        return _make(current, release, pre=(letter, number + 1), dev=0)
    return _make(current, _next_patch(release), dev=0)


def _next_patch(release: tuple[int, int, int]) -> tuple[int, int, int]:
    return (release[0], release[1], release[2] + 1)


def _make(
    current: Version,
    release: tuple[int, ...],
    pre: tuple[str, int] | None = None,
    post: int | None = None,
    dev: int | None = None,
) -> Version:
    text = f"{current.epoch}!" if current.epoch else ""
    text += ".".join(map(str, release))
    text += f"{pre[0]}{pre[1]}" if pre else ""
    text += f".post{post}" if post is not None else ""
    text += f".dev{dev}" if dev is not None else ""
    return Version(text)


def check_order(current: Version, new: Version, allow_downgrade: bool) -> None:
    """Refuse a version that is not higher than ``current`` unless downgrades are allowed."""
    if new <= current and not allow_downgrade:
        raise VersionNotIncreasing(str(current), str(new))
