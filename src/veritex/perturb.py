"""Changed copies of a value, for the audit: its sign flipped, doubled, 1 added (to one entry of
a matrix), a symbol added, two entries or symbols swapped, an element of a set changed. A change
that leaves the value as it was (-0, two equal entries swapped) is left out: it is no change.
"""

from __future__ import annotations

import sympy

EPSILON = sympy.Symbol("epsilon")


def entries_changed(value, change):
    """`change` applied to one entry (the last) of a matrix, or to the value itself."""
    if isinstance(value, sympy.MatrixBase):
        changed = sympy.Matrix(value)
        changed[len(changed) - 1] = change(changed[len(changed) - 1])
        return sympy.ImmutableMatrix(changed)
    return change(value)


def swapped(value):
    """Two distinct entries of a matrix or list swapped, or two symbols exchanged."""
    if isinstance(value, sympy.MatrixBase):
        entries = list(value)
        for i in range(len(entries)):
            for j in range(i + 1, len(entries)):
                if sympy.simplify(entries[i] - entries[j]) != 0:
                    entries[i], entries[j] = entries[j], entries[i]
                    return sympy.ImmutableMatrix(value.rows, value.cols, entries)
        return None
    if isinstance(value, sympy.Basic):
        symbols = sorted(value.free_symbols, key=str)
        if len(symbols) >= 2:
            a, b = symbols[:2]
            return value.xreplace({a: b, b: a})
    return None


def changes(value, symbolic: bool):
    """(description, changed value) for a stated side; changes that change nothing are
    left out."""
    out = [("its sign flipped", lambda v: entries_changed(v, lambda e: -e)),
           ("multiplied by 2", lambda v: entries_changed(v, lambda e: 2 * e)),
           ("with 1 added", lambda v: entries_changed(v, lambda e: e + 1))]
    if symbolic:
        out.append(("with a symbol added", lambda v: entries_changed(v, lambda e: e + EPSILON)))
    out.append(("with two entries or symbols swapped", swapped))
    found = []
    for description, change in out:
        try:
            changed = change(value)
        except (TypeError, ValueError, AttributeError):
            continue
        if changed is None or same(changed, value):
            continue
        found.append((description, changed))
    return found


def same(a, b) -> bool:
    try:
        if sympy.sympify(a) == sympy.sympify(b):        # 2 * oo is oo: no change
            return True
        difference = sympy.simplify(sympy.sympify(a) - sympy.sympify(b))
    except (TypeError, ValueError, sympy.SympifyError):
        return False
    if isinstance(difference, sympy.MatrixBase):
        return all(entry == 0 for entry in difference)
    return difference == 0


def set_changes(values):
    """Changes to a set of roots or eigenpairs: one element changed at a time."""
    items = list(values)
    for description, change in (("one element's sign flipped", lambda e: -e),
                                ("1 added to one element", lambda e: e + 1)):
        for k, item in enumerate(items):
            head = item[0] if isinstance(item, (tuple, sympy.Tuple)) else item
            new_head = change(head)
            if same(new_head, head):
                continue
            replaced = (new_head, *item[1:]) if isinstance(item, (tuple, sympy.Tuple)) \
                else new_head
            yield description, type(values)(*items[:k], replaced, *items[k + 1:]) \
                if isinstance(values, sympy.Basic) else [*items[:k], replaced, *items[k + 1:]]
            break
