"""Progress feedback for long operations: a user callback, a tqdm bar, and standard logging.

Long calls (``Scorecard.fit``, ``synthetic.simulate_portfolio``,
``features.extract``) take a ``progress=`` argument, off by default:

* ``None`` or ``False``: nothing is shown;
* ``True``: a ``tqdm`` bar (``tqdm.auto``: a widget in Jupyter, text in a
  terminal), which needs the optional extra ``progress``;
* a callable ``progress(done, total, label)``: called after each step with
  the steps done so far, the number of steps (``None`` when not known in
  advance, as in a stepwise selection) and what was just done.

Whatever ``progress`` is, each step is also logged at ``DEBUG`` and each
phase's start and end at ``INFO`` on the ``jiebei_credit.<module>`` loggers.
The library configures no handler: an application that wants the messages
attaches one, e.g. ``logging.basicConfig(level=logging.INFO)``.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable
from typing import Any

from jiebei_credit import _validation as V

__all__ = ["Progress", "ProgressCallback", "Reporter", "check_progress", "reporter"]

#: ``progress(done, total, label)``: ``total`` is ``None`` when the number of steps is not known.
ProgressCallback = Callable[[int, "int | None", str], object]
#: What a ``progress=`` parameter accepts.
Progress = bool | ProgressCallback | None


def check_progress(func: str, progress: object) -> None:
    """Refuse a ``progress`` that is not None, a bool or a callable, and ``True`` without tqdm."""
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        raise V.fail(func, "progress", "must be None, True, False or a callable progress(done, total, label)",
                     f"{type(progress).__name__}", "Pass True for a bar, or a function.")
    if progress is True:
        _tqdm(func)


def _tqdm(func: str) -> Any:
    try:
        return importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        raise V.fail(func, "progress=True", "needs tqdm to show a bar", "tqdm not installed",
                     "pip install 'jiebei_credit[progress]', or pass a callback "
                     "progress(done, total, label).") from None


class Reporter:
    """Steps of one phase of a long call, reported to the callback, the bar and the logger."""

    __slots__ = ("_bar", "_callback", "_func", "_logger", "_started", "desc", "done", "total")

    def __init__(self, progress: object, *, func: str, desc: str, total: int | None,
                 logger: logging.Logger) -> None:
        check_progress(func, progress)
        self._func = func
        self._logger = logger
        self._callback: ProgressCallback | None = progress if callable(progress) else None
        self._bar: Any = _tqdm(func)(total=total, desc=desc, leave=False) if progress is True else None
        self.desc = desc
        self.total = total
        self.done = 0
        self._started = time.perf_counter()
        of = "" if total is None else f" ({total} steps)"
        logger.info("%s: %s started%s", func, desc, of)

    def advance(self, label: str) -> None:
        """One more step done; ``label`` says which."""
        self.done += 1
        if self._logger.isEnabledFor(logging.DEBUG):
            of = "" if self.total is None else f"/{self.total}"
            self._logger.debug("%s: %s %d%s: %s", self._func, self.desc, self.done, of, label)
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix_str(label, refresh=False)
        if self._callback is not None:
            self._callback(self.done, self.total, f"{self.desc}: {label}")

    def close(self) -> None:
        """End the phase: close the bar and log the elapsed time."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._logger.info("%s: %s done, %d steps in %.2f s", self._func, self.desc, self.done,
                          time.perf_counter() - self._started)

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reporter(progress: object, *, func: str, desc: str, total: int | None,
             logger: logging.Logger) -> Reporter:
    """A :class:`Reporter` for one phase (checks ``progress``; use it as a context manager)."""
    return Reporter(progress, func=func, desc=desc, total=total, logger=logger)
