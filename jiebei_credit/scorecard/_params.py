"""The scikit-learn parameter protocol shared by the estimators (no scikit-learn import)."""

from __future__ import annotations

import inspect
from typing import Any, ClassVar, Self

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._checks import listing

__all__: list[str] = []


class Params:
    """``get_params``/``set_params``/``repr`` over the parameters of ``__init__``.

    ``__init__`` of a subclass stores each parameter under its own name and
    does nothing else, as scikit-learn's ``clone`` expects. ``_PARAMS`` is
    read from its signature when the subclass is defined, so no parameter
    can be left out of ``get_params`` (and so of ``clone``).
    """

    _PARAMS: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]  # without self
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):  # pragma: no cover
            raise TypeError(
                f"{cls.__name__}.__init__ must list its parameters explicitly (no *args/**kwargs)."
            )
        cls._PARAMS = tuple(p.name for p in params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters by name (``deep`` is accepted for scikit-learn)."""
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters; unknown names raise :class:`InvalidInputError`."""
        unknown = sorted(set(params) - set(self._PARAMS))
        if unknown:
            raise InvalidInputError(
                f"{type(self).__name__}.set_params: unknown parameters {listing(unknown)}; "
                f"valid ones are {', '.join(self._PARAMS)}."
            )
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        default = type(self)()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != getattr(default, k)]
        return f"{type(self).__name__}({', '.join(changed)})"
