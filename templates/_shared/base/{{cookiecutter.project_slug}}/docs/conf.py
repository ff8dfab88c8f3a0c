"""Sphinx configuration: ``sphinx-build -W -b html docs docs/_build/html``."""

project = {{ cookiecutter.project_name | tojson }}
author = {{ cookiecutter.author_name | tojson }}
copyright = {{ (cookiecutter.year ~ ", " ~ cookiecutter.author_name) | tojson }}
release = "{{ cookiecutter.version }}"

extensions: list[str] = []
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"{project} {release}"
