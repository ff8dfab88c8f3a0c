"""``mltool lint``: find non-determinism in training code and check the project contract.

The engine parses every Python file once and walks it once, handing each node to the rules
that asked for its kind. Rules live one per module in :mod:`mltool.lint.rules`; third parties
add theirs through the ``mltool.lint_rules`` entry-point group.
"""
