"""scikit-learn's metadata routing and ``set_output`` protocols, without importing scikit-learn.

The estimators follow scikit-learn's protocols by duck typing (DESIGN.md:
scikit-learn is not a runtime dependency). Two protocols need more than
method names:

* **Metadata routing** (SLEP006). A consumer says which metadata each of its
  methods wants with ``set_{method}_request(param=alias)``, and a router
  (``Pipeline``, ``GridSearchCV``, ``cross_validate``) reads those requests
  through ``get_metadata_routing()``, which must return scikit-learn's own
  ``MetadataRequest``. Requests are stored here in a plain per-method mapping
  (so setting them needs no scikit-learn); scikit-learn's object is built
  only when scikit-learn asks for it, that is when scikit-learn is imported.
  The mapping lives under ``_metadata_request``, the attribute
  ``sklearn.base.clone`` copies to the clone (through its
  ``__sklearn_clone__``), so a search's clones keep the requests.
* **Output containers** (SLEP018). ``Pipeline.set_output`` and
  ``ColumnTransformer.set_output`` call ``set_output`` on every step that
  transforms, and ``clone`` copies the choice kept under
  ``_sklearn_output_config``.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from jiebei_credit import _validation as V

__all__: list[str] = []

#: scikit-learn's "leave this request as it is" sentinel (``sklearn.utils.metadata_routing.UNCHANGED``).
UNCHANGED = "$UNCHANGED$"
#: Methods that consume metadata, in scikit-learn's order (``SIMPLE_METHODS``).
ROUTABLE = ("fit", "partial_fit", "predict", "predict_proba", "predict_log_proba",
            "decision_function", "score", "split", "transform", "inverse_transform")
#: Parameters that are data, never metadata (scikit-learn ignores the same names).
DATA_PARAMS = frozenset({"self", "X", "y", "Y", "Xt", "yt"})
#: Keyword arguments of the routed methods that are options, not metadata (never routed).
OPTION_PARAMS = frozenset({"progress"})
#: Containers ``set_output`` accepts: transform always returns a pandas DataFrame.
OutputKind = Literal["default", "pandas"]

Alias = bool | str | None
"""A request: True (route it), False (do not), None (refuse it if given), or the name to route."""


class Requests:
    """Metadata requests per method: ``{method: {param: alias}}`` (an immutable snapshot).

    ``sklearn.base.clone`` calls :meth:`__sklearn_clone__` on the stored
    requests, so a clone starts with the same requests and later changes to
    one do not reach the other.
    """

    __slots__ = ("by_method",)

    def __init__(self, by_method: Mapping[str, Mapping[str, Alias]]) -> None:
        self.by_method: dict[str, dict[str, Alias]] = {m: dict(r) for m, r in by_method.items()}

    def __sklearn_clone__(self) -> Requests:
        """An independent copy (scikit-learn's ``clone`` protocol)."""
        return Requests(self.by_method)

    def __repr__(self) -> str:
        return f"Requests({self.by_method!r})"


def _alias(value: Any, func: str, name: str) -> Alias:
    """A request value as scikit-learn reads it: True, False, None or a Python identifier."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isidentifier():
        return True if value == name else value
    raise V.fail(func, name, "must be True (route it), False (do not), None (refuse it if passed) or the "
                 "name under which the caller passes it (a Python identifier)", V.show([value], 1),
                 "Pass e.g. sample_weight=True.")


class MetadataConsumer:
    """The consumer side of scikit-learn's metadata routing, by duck typing.

    Every parameter of a routable method other than the data (``X``, ``y``)
    is metadata, unrequested (``None``) until a ``set_{method}_request``
    call says otherwise, as in scikit-learn.
    """

    _metadata_request: Requests
    #: Keyword-only parameters each ``set_{method}_request`` accepts, for messages.
    _REQUESTABLE: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    @classmethod
    def _default_requests(cls) -> dict[str, dict[str, Alias]]:
        out: dict[str, dict[str, Alias]] = {}
        for method in ROUTABLE:
            func = getattr(cls, method, None)
            if not inspect.isfunction(func):
                continue
            params = inspect.signature(func).parameters.values()
            out[method] = {p.name: None for p in params if p.name not in DATA_PARAMS | OPTION_PARAMS
                           and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        return out

    def _requests(self) -> dict[str, dict[str, Alias]]:
        stored = getattr(self, "_metadata_request", None)
        if isinstance(stored, Requests):
            return Requests(stored.by_method).by_method
        return self._default_requests()

    def _set_request(self, method: str, **aliases: Any) -> Self:
        func = f"{type(self).__name__}.set_{method}_request"
        requests = self._requests()
        for name, value in aliases.items():
            if isinstance(value, str) and value == UNCHANGED:
                continue
            requests[method][name] = _alias(value, func, name)
        self._metadata_request = Requests(requests)
        return self

    def _get_metadata_request(self) -> Any:
        """The requests as scikit-learn's ``MetadataRequest`` (imports scikit-learn).

        Only scikit-learn calls this, so scikit-learn is importable here.
        """
        from sklearn.utils.metadata_routing import MetadataRequest

        request = MetadataRequest(owner=type(self).__name__)
        for method, params in self._requests().items():
            for param, alias in params.items():
                getattr(request, method).add_request(param=param, alias=alias)
        return request

    def get_metadata_routing(self) -> Any:
        """Metadata routing of this estimator (scikit-learn's protocol).

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRequest
            What each method consumes: ``sample_weight`` of ``fit`` (and of
            ``score`` for a scorecard), as set by ``set_fit_request`` /
            ``set_score_request``; unrequested (an error if a router is given
            it) until then. Calling this imports scikit-learn.
        """
        return self._get_metadata_request()

    def set_fit_request(self, *, sample_weight: bool | str | None = UNCHANGED) -> Self:
        """Request ``sample_weight`` for ``fit`` when scikit-learn routes metadata.

        Only has an effect with ``sklearn.set_config(enable_metadata_routing=True)``
        (or inside ``sklearn.config_context(enable_metadata_routing=True)``):
        a router (``GridSearchCV``, ``cross_validate``, ``Pipeline``) then
        passes ``sample_weight`` to ``fit`` only if it was requested here.

        Parameters
        ----------
        sample_weight : bool, str or None, default unchanged
            True: pass it; False: do not; None: a router given it raises
            (scikit-learn's default); a string: pass the metadata of that
            name as ``sample_weight``.

        Returns
        -------
        self
            The estimator, with the request stored (kept by ``clone``).

        Raises
        ------
        InvalidInputError
            A value other than True, False, None or an identifier.
        """
        return self._set_request("fit", sample_weight=sample_weight)


def set_output_config(est: Any, transform: Any, func: str) -> None:
    """Store ``transform`` as ``est``'s output container (scikit-learn's ``_sklearn_output_config``)."""
    if transform is None:
        return
    kind = V.choice(transform, OutputKind, func=func, name="transform",
                    fix="transform always returns a pandas DataFrame; other containers are not supported.")
    config = dict(getattr(est, "_sklearn_output_config", {}))
    config["transform"] = kind
    est._sklearn_output_config = config
