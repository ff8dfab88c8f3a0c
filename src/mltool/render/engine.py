"""Render a template's layers into a folder with cookiecutter's Jinja2 engine.

Undefined variables are errors (cookiecutter's ``StrictEnvironment`` uses ``StrictUndefined``).
Rendering is a pure function of the template and the context: no timestamps, no randomness.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mltool import __version__
from mltool.errors import MltoolError
from mltool.render.answers import Answers
from mltool.render.catalog import Template


class RenderError(MltoolError):
    """A template failed to render: a bug in the template, not in the user's input."""


def context(template: Template, answers: Answers) -> dict[str, object]:
    """The ``cookiecutter.*`` variables every template file can use."""
    return {
        **answers.to_dict(),
        "project_slug": answers.project_slug,
        "package_name": answers.package_name,
        "template_name": template.name,
        "template_version": template.version,
        # The generated workflows install exactly this mltool, so CI checks what was tested.
        "mltool_version": __version__,
        # Binary files are copied as they are. Templates wrap GitHub Actions' `${{ }}`
        # expressions in {% raw %} instead, so the rest of a workflow is still rendered.
        "_copy_without_render": ["*.png", "*.ico"],
        # `tojson` gives TOML/Python strings of any Unicode, `rst` escapes reStructuredText.
        "_extensions": ["mltool.render.literals.AnswerFilters"],
    }


def render(template: Template, variables: Mapping[str, object], into: Path) -> Path:
    """Render every layer of ``template`` into ``into`` and return the project folder."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError

    project: Path | None = None
    for layer in template.layers:
        try:
            out = generate_files(
                repo_dir=layer,
                context={"cookiecutter": dict(variables)},
                output_dir=into,
                overwrite_if_exists=True,
                accept_hooks=False,
                keep_project_on_failure=True,
            )
        except (CookiecutterException, TemplateError) as exc:
            raise RenderError(
                f"template {template.name} failed to render {layer.name}: {exc}",
                "this is a bug in the template; please report it",
            ) from exc
        project = Path(out)
    assert project is not None, "a template has at least its own layer"
    return project
