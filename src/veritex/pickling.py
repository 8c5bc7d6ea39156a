"""Displayed objects across processes and builds, as the author built them.

sympy rebuilds an unpickled sum, product or power from its arguments and evaluates it: an
author's `Add(root, -gamma, evaluate=False)`, pickled by the kernel that made it, comes back
in the checker (or from the cache of a chunk) as `-gamma + root`, in sympy's order, and the
words of a refutation, or a later chunk's display, no longer read as the author wrote it.
`loads` rebuilds those few operations unevaluated, from exactly the arguments they had (an
evaluated one's arguments are already in sympy's order, so it comes back the same); every
other object is rebuilt as pickle always does.
"""

from __future__ import annotations

import io
import pickle

# the operations that take evaluate=False and whose order a reader sees
_OPERATIONS = {("sympy.core.add", "Add"), ("sympy.core.mul", "Mul"),
               ("sympy.core.power", "Pow"),
               ("sympy.matrices.expressions.matadd", "MatAdd"),
               ("sympy.matrices.expressions.matmul", "MatMul")}


def _as_built(operation: type) -> type:
    """A stand-in that pickle instantiates (cls.__new__(cls, *args)) in place of `operation`,
    making the operation of those arguments, unevaluated."""
    def __new__(_cls, *args):
        return operation(*args, evaluate=False)
    return type(f"Unevaluated{operation.__name__}", (), {"__new__": __new__})


class _AsBuilt(pickle.Unpickler):
    _stand_ins: dict = {}

    def find_class(self, module: str, name: str):
        found = super().find_class(module, name)
        if (module, name) not in _OPERATIONS:
            return found
        if found not in self._stand_ins:
            self._stand_ins[found] = _as_built(found)
        return self._stand_ins[found]


def loads(data: bytes):
    return _AsBuilt(io.BytesIO(data)).load()
