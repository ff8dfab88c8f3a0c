"""The thin command-line layer: parse arguments, call one core function, render its result.

Only this package imports typer, rich and questionary. Command modules import the core lazily,
inside the command, so that ``mltool --help`` stays fast.
"""
