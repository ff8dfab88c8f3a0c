"""``bump-version``: the version scheme, where versions are written, the plan that bumps them."""
