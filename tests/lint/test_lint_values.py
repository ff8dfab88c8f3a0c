"""What a value is: NumPy, pandas, integer or floating-point tensors, read off the code."""

from __future__ import annotations

import ast

import pytest

from mltool.lint.context import FileContext
from mltool.lint.model import TorchAssumption
from mltool.lint.names import ImportTable
from mltool.lint.values import Kind, kind

IMPORTS = (
    "import numpy as np\nimport pandas as pd\nimport torch\n"
    "from collections import defaultdict\nfrom meters import Batch, Meter\n"
)


def kind_of(body: str) -> Kind:
    """The kind of the last line's expression, after the lines before it."""
    source = (
        IMPORTS
        + "def f(x, mask, labels):\n"
        + "".join(f"    {line}\n" for line in body.split("\n"))
    )
    tree = ast.parse(source)
    ctx = FileContext(TorchAssumption("2.13.0", "test"), tree, source)
    ctx.imports = ImportTable()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            ctx.imports.add(node)
    function = tree.body[-1]
    assert isinstance(function, ast.FunctionDef)
    last = function.body[-1]
    assert isinstance(last, ast.Expr)
    return kind(last.value, ctx)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("np.asarray(x)", Kind.NUMPY),
        ("a = np.zeros(3)\na", Kind.NUMPY),
        ("t = x.detach().cpu().numpy()\nt", Kind.NUMPY),
        ("pd.read_csv(x)", Kind.PANDAS),
        ("mask > 0", Kind.INTEGER),
        ("~mask", Kind.INTEGER),
        ("x.long()", Kind.INTEGER),
        ("torch.bincount(labels)", Kind.INTEGER),
        ("torch.isin(labels, x)", Kind.INTEGER),
        ("torch.arange(10)", Kind.INTEGER),
        ("torch.zeros(3, dtype=torch.int64)", Kind.INTEGER),
        ("k = torch.ones(3, dtype=torch.bool)\nk.cpu()", Kind.INTEGER),
        ("x.to(torch.float32)", Kind.FLOATING),
        ("x.float()", Kind.FLOATING),
        ("torch.arange(0.0, 1.0, 0.1)", Kind.TENSOR),
        ("x", Kind.UNKNOWN),
        ("torch.randn(3)", Kind.FLOATING),
        ("torch.quantize_per_tensor(x, 0.1, 0, torch.quint8)", Kind.TENSOR),
        ("model(x)", Kind.UNKNOWN),
        ("m = Meter()\nm", Kind.OBJECT),
        ("meters = defaultdict(Meter)\nmeters[x]", Kind.OBJECT),
        ("Batch(x)['image']", Kind.UNKNOWN),  # an item of an object may be a tensor
    ],
)
def test_kinds(body: str, expected: Kind) -> None:
    assert kind_of(body) is expected
