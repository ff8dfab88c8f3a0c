"""Loops whose combined effect does not depend on the order of their items."""

from __future__ import annotations

import ast
import textwrap

import pytest

from mltool.lint.loops import order_free_loop


def judge(source: str) -> bool:
    """Whether the first loop of the function ``f`` in ``source`` is order-free."""
    tree = ast.parse(textwrap.dedent(source))
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    loop = next(n for n in ast.walk(function) if isinstance(n, ast.For))
    return order_free_loop(loop, function)


@pytest.mark.parametrize(
    "source",
    [
        # each item checked on its own; raising on a bad one
        """
        def f(items):
            for item in items:
                size = len(item)
                if size > 10:
                    raise ValueError(item)
        """,
        # a running minimum of a value, read after the loop
        """
        def f(items):
            low = None
            for item in items:
                value = item.score
                if low is None or value < low:
                    low = value
            return low
        """,
        """
        def f(items):
            top = 0
            for item in items:
                top = max(top, item.size)
            return top
        """,
        # a name bound in a try whose handler goes to the next item
        """
        def f(items, seen):
            for item in items:
                try:
                    key = int(item)
                except ValueError:
                    continue
                seen.add(key)
        """,
        # appending to a local list that is only deduplicated into a set and counted after
        """
        def f(items):
            pairs = []
            for item in items:
                pair = tuple(sorted(item))
                pairs.append(pair)
            pairs = list(set(pairs))
            return len(pairs)
        """,
        # the loop's names are bound again before they are read after it
        """
        def f(items):
            for item in items:
                item.unlink()
            item = None
            return item
        """,
    ],
)
def test_order_free(source: str) -> None:
    assert judge(source)


@pytest.mark.parametrize(
    "source",
    [
        # the last item escapes the loop
        """
        def f(items):
            for item in items:
                path = item.path
            return path
        """,
        # a value carried from the previous item
        """
        def f(items):
            previous = None
            for item in items:
                if item == previous:
                    raise ValueError(item)
                previous = item
        """,
        # bound in one branch, read after it
        """
        def f(items, seen):
            for item in items:
                if item:
                    key = item.key
                seen.add(key)
        """,
        # a value taken from a shared container
        """
        def f(items, queue, seen):
            for item in items:
                head = queue.pop()
                seen.add(head)
        """,
        # the item chosen on a tie depends on the order
        """
        def f(items):
            best, chosen = 0, None
            for item in items:
                if item.size > best:
                    best = item.size
                    chosen = item
            return chosen
        """,
        # ordered effects: appending, storing by key, accumulating, printing, stopping
        "def f(items, out):\n    for item in items:\n        out.append(item)\n",
        "def f(items, out):\n    for i, item in items:\n        out[i] = item\n",
        "def f(items, total):\n    for item in items:\n        total += item\n",
        "def f(items):\n    for item in items:\n        print(item)\n",
        "def f(items, seen):\n    for item in items:\n        seen.add(item)\n        break\n",
        # a local list returned in the order of the items
        "def f(items):\n    out = []\n    for item in items:\n        out.append(item)\n"
        "    return out\n",
        # logging outside an except handler writes the items in order
        "def f(items, log):\n    for item in items:\n        log.info(item)\n",
    ],
)
def test_order_kept(source: str) -> None:
    assert not judge(source)


def test_without_a_scope_only_loops_that_bind_nothing_escape_free() -> None:
    loop = ast.parse("for item in items:\n    item.unlink()\n").body[0]
    assert isinstance(loop, ast.For)
    assert not order_free_loop(loop, None)
    assert order_free_loop(loop, ast.parse("pass"))
