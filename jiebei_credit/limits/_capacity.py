"""Largest instalment of a loan (:func:`payment`) and its exact inverse (:func:`max_principal`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from jiebei_credit._types import IntegerOrVector, ScalarOrVector
from jiebei_credit._validation import choice
from jiebei_credit.limits import _engine
from jiebei_credit.limits._checks import (
    FloatArray,
    IntArray,
    Method,
    scalar_or_array,
)
from jiebei_credit.limits._engine import BLOCK, EQUAL_INSTALLMENT, EQUAL_PRINCIPAL
from jiebei_credit.limits._money import TIE_TOLERANCE_FEN, half_up
from jiebei_credit.limits._schedule import loans

Which = Literal["largest", "first"]


@overload
def payment(
    principal: float, annual_rate: float, term_months: int, *, method: Method,
    which: Which = "largest",
) -> float: ...
@overload
def payment(
    principal: ScalarOrVector, annual_rate: ScalarOrVector, term_months: IntegerOrVector, *,
    method: Method | npt.ArrayLike, which: Which = "largest",
) -> float | FloatArray: ...
def payment(
    principal: ScalarOrVector,
    annual_rate: ScalarOrVector,
    term_months: IntegerOrVector,
    *,
    method: Method | npt.ArrayLike,
    which: Which = "largest",
) -> float | FloatArray:
    """Largest (or first) monthly instalment of a loan's fen-rounded schedule.

    Parameters
    ----------
    principal : float or array_like
        Principal, CNY, a whole number of fen, in ``[0, 1e8]``.
    annual_rate : float or array_like
        Nominal annual rate as a decimal, in ``[0, 3.65]``.
    term_months : int or array_like
        Number of monthly instalments, 1 to 60.
    method : str or array_like of str
        ``"equal_installment"``, ``"equal_principal"`` or ``"interest_first"``.
    which : {"largest", "first"}, default "largest"
        ``"largest"``: the most the schedule asks in any month (what
        affordability needs). ``"first"``: the first instalment, i.e. the
        level payment ``PMT`` of an equal-instalment loan.

    Returns
    -------
    float or numpy.ndarray
        The return convention of the whole subpackage: a Python ``float``
        when every argument is a scalar, otherwise a float64 array of the
        broadcast length (arrays must share one length; scalars broadcast).

    Raises
    ------
    InvalidInputError
        As :func:`schedules` (a bool is not a number: ``term_months=True`` is
        refused, and so is ``12.0``), or if ``which`` is unknown.

    See Also
    --------
    max_principal : The inverse of the ``"largest"`` payment.
    schedules : The schedules this reads (one implementation).

    Notes
    -----
    The amount is read off the schedule built by :func:`schedules`, so it
    includes fen rounding. The largest instalment is the level payment
    ``PMT = P·i·(1+i)^n / ((1+i)^n − 1)`` rounded (or the last instalment,
    which absorbs the rounding residual and may differ by a few fen) for
    equal instalments; the first, ``P/n + P·i``, for equal principal; and the
    last, ``P·(1 + i)``, for interest first.

    Examples
    --------
    >>> from jiebei_credit.limits import payment
    >>> payment(10_000, 0.144, 12, method="equal_installment", which="first")
    899.75
    >>> payment(10_000, 0.144, 12, method="equal_installment")
    899.8
    >>> payment([10_000, 10_000], 0.144, 12, method=["equal_principal", "interest_first"])
    array([  953.33, 10120.  ])
    """
    choice(which, ("largest", "first"), func="payment", name="which")
    ln = loans(principal, annual_rate, term_months, method, func="payment")
    if which == "largest":
        out = _engine.largest_payment(ln.p_fen, ln.i, ln.n, ln.code)
    else:
        rows = _engine.run(ln.p_fen, ln.i, ln.n, ln.code)
        out = rows.payment[np.cumsum(ln.n) - ln.n]
    return scalar_or_array(out / 100.0, ln.scalar)


@overload
def max_principal(
    payment: float, annual_rate: float, term_months: int, *, method: Method
) -> float: ...
@overload
def max_principal(
    payment: ScalarOrVector, annual_rate: ScalarOrVector, term_months: IntegerOrVector, *,
    method: Method | npt.ArrayLike,
) -> float | FloatArray: ...
def max_principal(
    payment: ScalarOrVector,
    annual_rate: ScalarOrVector,
    term_months: IntegerOrVector,
    *,
    method: Method | npt.ArrayLike,
) -> float | FloatArray:
    """Largest principal whose schedule never asks more than ``payment`` in a month.

    Parameters
    ----------
    payment : float or array_like
        Monthly amount the borrower can pay, CNY, in ``[0, 1e8]``.
    annual_rate : float or array_like
        Nominal annual rate as a decimal, in ``[0, 3.65]``.
    term_months : int or array_like
        Number of monthly instalments, 1 to 60.
    method : str or array_like of str
        ``"equal_installment"``, ``"equal_principal"`` or ``"interest_first"``.

    Returns
    -------
    float or numpy.ndarray
        Principal in CNY, a whole number of fen. A ``float`` when every
        argument is a scalar, otherwise a float64 array (see :func:`payment`).

    Raises
    ------
    InvalidInputError
        If an argument is of the wrong type (see :func:`schedules`), out of
        range, or ``method`` is unknown.

    See Also
    --------
    payment : The function this inverts.

    Notes
    -----
    The result is exact on the fen-rounded schedule of :func:`schedules`:
    it is the largest whole-fen ``P`` with ``payment(P) <= ⌊payment⌋_fen``,
    searched over every principal, so it never decreases when ``payment``
    rises. ``payment`` is floored to the fen with a tolerance of ``1e-4`` fen
    for binary representation error (``0.35999999999999993`` counts as
    0.36). Without rounding the inverses are

    * equal instalment: ``P = A·(1 − (1+i)^−n) / i`` (``A·n`` at ``i = 0``);
    * equal principal (the first month binds): ``P = A / (1/n + i)``;
    * interest first (the last month binds): ``P = A / (1 + i)``.

    With rounding, equal-instalment principals form plateaus on which the
    rounded level payment ``R`` is constant; on a plateau the last
    instalment grows with ``P``, so the largest principal whose last
    instalment fits is found by running the balance recursion backwards
    from the largest admissible last balance (``n − 1`` vectorised steps).
    Plateaus are tried from the top down, in windows of consecutive level
    payments that double while a loan finds none; since that largest last
    balance run backwards grows with ``R``, after an empty window the search
    jumps to the plateau holding the window's lowest bound. One or two
    plateaus suffice at ordinary rates. Equal principal is solved the same
    way in closed form.

    The largest instalment of the result never exceeds ``payment``. It is
    within one fen of ``⌊payment⌋_fen`` for annual rates up to 36 % (tested
    as a property; the fen is needed because a one-fen step in ``P`` can
    move an instalment by two fen). At extreme rates with long
    equal-instalment terms the last instalment's rounding residual grows
    like ``(1+i)^n`` and the gap can reach tens of fen; the search stays
    exact but may visit thousands of plateaus (about 0.15 ms a loan at
    365 % a year over 60 months, against about 0.2 µs at 14.4 % over 12).

    Examples
    --------
    >>> from jiebei_credit.limits import max_principal, payment
    >>> p = max_principal(899.80, 0.144, 12, method="equal_installment")
    >>> p, payment(p, 0.144, 12, method="equal_installment")
    (10000.49, 899.8)
    >>> payment(p + 0.01, 0.144, 12, method="equal_installment") > 899.80
    True
    >>> max_principal(1000.0, 0.144, 12, method="interest_first")
    988.14
    >>> max_principal([0.0, 953.33], 0.144, 12, method="equal_principal")
    array([    0.  , 10000.01])
    """
    ln = loans(payment, annual_rate, term_months, method, func="max_principal",
               amount_name="payment")
    return scalar_or_array(principal_for(ln.amount, ln.i, ln.n, ln.code), ln.scalar)


def principal_for(payment: FloatArray, i: FloatArray, n: IntArray, code: IntArray) -> FloatArray:
    """Largest whole-fen principal, CNY, whose instalments fit ``payment`` CNY (``>= 0``).

    The shared core of :func:`max_principal` and ``assign``: ``payment`` is
    floored to the fen (with the documented ``1e-4``-fen tolerance), ``i`` is
    the monthly rate, ``n`` the term in months and ``code`` the index of the
    method in ``METHODS``.
    """
    t = np.floor(np.round(payment * 100.0, 4))
    return solve(t, i, n, code) / 100.0


def solve(t: FloatArray, i: FloatArray, n: IntArray, code: IntArray) -> FloatArray:
    """Largest whole-fen principal with every instalment at most ``t`` fen (``t >= 0``)."""
    if t.size <= BLOCK:
        return _solve(t, i, n, code)
    out = np.empty(t.size)
    for s in range(0, t.size, BLOCK):
        b = slice(s, s + BLOCK)
        out[b] = _solve(t[b], i[b], n[b], code[b])
    return out


def _solve(t: FloatArray, i: FloatArray, n: IntArray, code: IntArray) -> FloatArray:
    last = _last_balance(t, i, 1.0 + i)
    out = last.copy()  # interest first, and any method with a single instalment
    ei = np.flatnonzero((code == EQUAL_INSTALLMENT) & (n > 1))
    ei = ei[np.argsort(-n[ei], kind="stable")]  # longest first: backward steps act on prefixes
    if ei.size:
        out[ei] = _equal_installment(t[ei], i[ei], n[ei], last[ei])
    ep = np.flatnonzero((code == EQUAL_PRINCIPAL) & (n > 1))
    if ep.size:
        out[ep] = _equal_principal(t[ep], i[ep], n[ep], last[ep])
    return out


_H = 0.5 + TIE_TOLERANCE_FEN
#: Cap on principal estimates, fen (exact in float64; far above any feasible principal).
_BIG = 2.0**52
#: Largest number of (loan, plateau) pairs examined at once.
_WINDOW_CELLS = 1 << 20


Ok = Callable[[FloatArray, "IntArray | slice"], npt.NDArray[np.bool_]]
_ALL = slice(None)


def _largest(q: FloatArray, ok: Ok) -> FloatArray:
    """Largest integer ``x >= 0`` with ``ok(x)``, where the answer is ``⌊q⌋ − 1`` or ``⌊q⌋``.

    ``ok(x, sel)`` tests candidates ``x`` for the elements ``sel`` (an index
    array, or a full slice); it is monotone in ``x`` (true up to some value,
    false beyond) and true at 0. Every caller's ``q`` has the property in
    exact arithmetic; where ``q`` is so close to an integer that
    floating-point error could move ``⌊q⌋``, the answer is found by stepping.
    """
    x = np.floor(q)
    frac = q - x
    np.maximum(x, 0.0, out=x)
    x -= ~ok(x, _ALL)
    near = np.flatnonzero(np.abs(frac - 0.5) >= 0.5 - 1e-12 * np.maximum(q, 1.0))
    if near.size:
        xn = x[near]
        for _ in range(4):
            bad = ~ok(xn, near)
            if not bad.any():
                break
            xn = np.where(bad, np.maximum(xn - 1.0, 0.0), xn)
        for _ in range(4):
            up = ok(xn + 1.0, near)
            if not up.any():
                break
            xn = np.where(up, xn + 1.0, xn)
        x[near] = xn
    return np.maximum(x, 0.0)


def _last_balance(y: FloatArray, i: FloatArray, one_plus_i: FloatArray) -> FloatArray:
    """Largest balance ``b`` whose closing instalment ``b + ⌊b·i⌉`` is at most ``y`` fen."""
    return _largest((y + (1.0 - _H)) / one_plus_i, lambda b, s: b + half_up(b * i[s]) <= y[s])


def _below(
    level: FloatArray, amount: Callable[[FloatArray, IntArray | slice], FloatArray], q: FloatArray
) -> FloatArray:
    """Largest principal whose rounded ``amount`` is at most ``level`` (−1 if ``level < 0``)."""
    ok_level = np.maximum(level, 0.0)
    x = _largest(np.where(level >= 0, q, 0.0), lambda x, s: amount(x, s) <= ok_level[s])
    return np.where(level >= 0, x, -1.0)


def _equal_installment(t: FloatArray, i: FloatArray, n: IntArray, last: FloatArray) -> FloatArray:
    """Exact inverse for equal instalments (``n >= 2``; loans sorted by ``n``, longest first).

    For a level payment ``R``, the principals with that rounded payment form
    a plateau ``[lo, hi]``; on it the last instalment grows with ``P``, so the
    fitting principals are those up to ``B_0(R)``, the largest last balance
    run backwards ``n − 1`` months. Plateaus are tried from the top, in
    windows of ``width`` consecutive values of ``R`` that double while a loan
    finds none (extreme rates can leave thousands of plateaus empty).
    """
    out = np.full(t.size, -1.0)
    r = t.copy()  # highest level payment not yet ruled out
    todo = np.arange(t.size)
    width = 1
    while todo.size:
        rep = np.repeat(todo, width)  # keeps the order by term
        rt = r[rep] - np.tile(np.arange(width, dtype=np.float64), todo.size)
        it, nt = i[rep], n[rep]
        factor = _engine.annuity_factor(it, nt)

        def level(x: FloatArray, s: IntArray | slice, factor: FloatArray = factor) -> FloatArray:
            return _engine.regular_payment(x, factor[s])

        hi = _below(rt, level, (rt + 1.0 - _H) / factor)
        lo = _below(rt - 1.0, level, (rt - _H) / factor) + 1.0
        # Backward balance recursion: b_{k-1} = largest b with b + ⌊b·i⌉ − R <= b_k,
        # on a prefix at each step since loans are sorted by term.
        b = last[rep]
        opi = 1.0 + it
        for step in range(1, int(nt[0])):
            c = int(np.searchsorted(-nt, -(step + 1), side="right"))  # loans with n - 1 >= step
            b[:c] = _last_balance(b[:c] + rt[:c], it[:c], opi[:c])
        cand = np.where(rt >= 0, np.minimum(b, hi), -1.0).reshape(todo.size, width)
        fits = cand >= lo.reshape(todo.size, width)
        first = fits.argmax(axis=1)  # the highest fitting R of each loan's window
        found = fits.any(axis=1)
        out[todo[found]] = cand[found, first[found]]
        # B_0 grows with R, so no plateau above the one holding the window's
        # lowest B_0 can fit: continue from there.
        low = np.flatnonzero(~found) * width + (width - 1)
        r[todo[~found]] = np.minimum(rt[low] - 1.0, level(b[low], low))
        todo = todo[~found]
        width = max(1, min(2 * width, 4096, _WINDOW_CELLS // max(todo.size, 1)))
    return out


def _equal_principal(t: FloatArray, i: FloatArray, n: IntArray, last: FloatArray) -> FloatArray:
    out = np.full(t.size, -1.0)
    nf = n.astype(np.float64)
    # Upper bound on the optimum's principal part c: it lies on a plateau
    # starting at P >= n·(c − H), and c + ⌊P·i⌉ <= t with ⌊z⌉ > z + H − 1;
    # the last instalment fits only if n·(c − H) <= P <= B* + (n − 1)·c.
    ni = nf * i
    c = np.minimum(t, np.floor((t + 1.0 - _H + ni * _H) / (1.0 + ni) * (1.0 + 1e-12) + 1e-9))
    c = np.minimum(c, np.floor(last + nf * _H))
    todo = np.arange(t.size)
    while todo.size:
        it, nt, ct, tt = i[todo], n[todo], c[todo], t[todo]
        nft = nt.astype(np.float64)

        def part(x: FloatArray, s: IntArray | slice, nt: IntArray = nt) -> FloatArray:
            return _engine.principal_part(x, nt[s])

        def interest(x: FloatArray, s: IntArray | slice, it: FloatArray = it) -> FloatArray:
            return half_up(x * it[s])

        hi = _below(ct, part, nft * (ct + 1.0 - _H))
        lo = _below(ct - 1.0, part, nft * (ct - _H)) + 1.0
        with np.errstate(divide="ignore", over="ignore"):
            est = np.minimum((tt - ct + 1.0 - _H) / np.where(it > 0, it, 1.0), _BIG)
        first = np.where(it > 0, _below(tt - ct, interest, est), np.where(tt >= ct, np.inf, -1.0))
        cand = np.minimum(np.minimum(hi, first), last[todo] + (nft - 1.0) * ct)
        done = cand >= lo
        out[todo[done]] = cand[done]
        todo = todo[~done]
        c[todo] -= 1.0
    return out
