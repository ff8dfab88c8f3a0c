"""``find_versions`` and the ``[tool.mltool.bump-version]`` table it reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import build_file_tree

from mltool.bump.locations import VersionOccurrence, find_versions, scan
from mltool.errors import ProjectFileError

PYPROJECT = """[project]
version = "1.2.0rc1"

[tool.mltool.bump-version]
files = [
{files}
]
"""


def project(tmp_path: Path, files: str, **more: str) -> Path:
    build_file_tree(tmp_path, {"pyproject.toml": PYPROJECT.format(files=files), **more})
    return tmp_path


def test_every_occurrence_with_line_and_column(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """  { path = "pyproject.toml", pattern = '^version = "{version}"' },
  { path = "MLproject", pattern = 'digits:{version}' },
  { path = "pkg/__init__.py", pattern = '^__version__ = "{version}"' },""",
        MLproject="name: digits\ndocker_env:\n  image: digits:1.2.0rc1  # digits:1.2.0rc1\n",
        **{"pkg/__init__.py": '__version__ = "1.2.0"\n'},
    )
    assert find_versions(root) == [
        VersionOccurrence("pyproject.toml", 2, 12, "1.2.0rc1"),
        VersionOccurrence("MLproject", 3, 17, "1.2.0rc1"),
        VersionOccurrence("MLproject", 3, 36, "1.2.0rc1"),
        VersionOccurrence("pkg/__init__.py", 1, 16, "1.2.0"),
    ]


def test_the_placeholder_may_repeat_and_must_then_agree(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """  { path = "a.txt", pattern = 'v{version} \\(={version}\\)' },""",
        **{"a.txt": "v1.0 (=1.0)\nv1.0 (=2.0)\n"},
    )
    assert find_versions(root) == [VersionOccurrence("a.txt", 1, 2, "1.0")]


@pytest.mark.parametrize(
    "line",
    [
        'version = "1.2.0.dev3"',
        'version = "1!2.0.post1.dev0"',
        'version = "1.2.0-RC1"',
        'version = "2.0+cu121.x"',
    ],
)
def test_any_pep440_version_is_found(tmp_path: Path, line: str) -> None:
    root = project(
        tmp_path,
        """  { path = "v.txt", pattern = '^version = "{version}"' },""",
        **{"v.txt": line + "\n"},
    )
    assert [o.version for o in find_versions(root)] == [line.split('"')[1]]


def test_missing_files_and_unmatched_patterns_are_reported_by_scan(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """  { path = "gone.py", pattern = '{version}' },
  { path = "pyproject.toml", pattern = '^release = "{version}"' },""",
    )
    assert find_versions(root) == []
    assert [(s.file.path, s.problem) for s in scan(root)] == [
        ("gone.py", "file not found"),
        ("pyproject.toml", "matches nothing"),
    ]


def test_no_table_means_no_versions(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n"})
    assert find_versions(tmp_path) == []
    assert find_versions(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            """  { path = "a", pattern = 'no placeholder' },""",
            "files[0]: pattern 'no placeholder' lacks {version}",
        ),
        (
            """  { path = "a", pattern = '({version}' },""",
            "files[0]: bad pattern '({version}': missing ), unterminated subpattern at position 0",
        ),
        (
            """  { path = "/etc/passwd", pattern = '{version}' },""",
            "files[0]: path '/etc/passwd' must be relative, inside the project",
        ),
        (
            """  { path = "../x", pattern = '{version}' },""",
            "files[0]: path '../x' must be relative, inside the project",
        ),
        ("""  { path = "a" },""", "files[0] must have exactly 'path' and 'pattern'"),
        (
            """  { path = 1, pattern = '{version}' },""",
            "files[0]: 'path' and 'pattern' must be strings",
        ),
    ],
)
def test_invalid_configuration(tmp_path: Path, files: str, message: str) -> None:
    root = project(tmp_path, files)
    with pytest.raises(ProjectFileError) as caught:
        find_versions(root)
    assert (
        caught.value.message == f"{root / 'pyproject.toml'}: [tool.mltool.bump-version] {message}"
    )


def test_unknown_key_and_wrong_type(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"pyproject.toml": "[tool.mltool.bump-version]\nfile = []\n"})
    with pytest.raises(ProjectFileError, match="has unknown key 'file'"):
        find_versions(tmp_path)
    build_file_tree(tmp_path, {"pyproject.toml": "[tool.mltool.bump-version]\nfiles = 'x'\n"})
    with pytest.raises(ProjectFileError, match="'files' must be an array of tables"):
        find_versions(tmp_path)
