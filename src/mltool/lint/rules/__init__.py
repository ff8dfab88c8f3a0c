"""Built-in rules, one per module; the registry finds them by walking this package.

Code families: DET1xx operations, DET2xx configuration, DET3xx randomness, DET4xx ordering,
PRJ0xx project contract, LNT0xx files that could not be linted. Codes are permanent.
"""
