"""The user's own configuration: defaults for ``create`` and a GitHub token, in one TOML file."""
