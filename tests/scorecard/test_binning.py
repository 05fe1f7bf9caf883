"""bin_feature, Binning and BinStats: properties, edge cases and messages."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard import (
    Binning,
    BinningParams,
    BinStats,
    bin_feature,
    optimal_binning,
    quantile_edges,
)
from tests.strategies import binning_data


def _risky(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(2 + 1.5 * x))).astype(int)
    return x, y


# ------------------------------------------------------------ properties ---


@given(data=binning_data(), trend=st.sampled_from(["auto", "ascending", "descending", "peak"]))
def test_table_invariants(data, trend):
    x, y = data
    b = bin_feature(x, y, binning=BinningParams(monotonic=trend, max_bins=5, min_bin_share=0.05))
    t = b.table
    assert list(t.columns) == ["label", "count", "goods", "bads", "bad_rate", "woe", "iv"]
    assert np.isfinite(t["woe"]).all()
    assert (t["iv"] >= 0).all()
    assert b.iv >= 0
    assert math.isclose(t["iv"].sum(), b.iv, rel_tol=1e-12, abs_tol=1e-15)
    # counts add up to the data and match bin_index on the training rows
    assert t["count"].sum() == len(x)
    idx = b.bin_index(x)
    np.testing.assert_array_equal(np.bincount(idx, minlength=len(t)), t["count"].to_numpy())
    np.testing.assert_array_equal(np.bincount(idx, weights=y, minlength=len(t)), t["bads"])
    np.testing.assert_array_equal(b.woe(x), t["woe"].to_numpy()[idx])
    assert b.labels == tuple(t["label"])
    woe = t["woe"].to_numpy()[: b.n_regular]
    if trend == "ascending" or (trend == "auto" and b.trend == "ascending"):
        assert (np.diff(woe) > 0).all()
    if trend == "descending" or (trend == "auto" and b.trend == "descending"):
        assert (np.diff(woe) < 0).all()


@given(data=binning_data())
def test_round_trip_through_json(data):
    x, y = data
    b = bin_feature(x, y, special_values=(0.0,))
    back = Binning.from_dict(json.loads(json.dumps(b.to_dict())))
    assert back == b
    np.testing.assert_array_equal(back.woe(x), b.woe(x))


@given(data=binning_data(min_rows=40), cut=st.floats(0.1, 0.9))
def test_split_merge_gives_same_binning(data, cut):
    x, y = data
    edges = quantile_edges(x, n_prebins=10)
    k = int(len(x) * cut)
    whole = BinStats.from_data(x, y, edges=edges)
    parts = BinStats.from_data(x[:k], y[:k], edges=edges) + BinStats.from_data(x[k:], y[k:], edges=edges)
    assert parts == whole
    assert optimal_binning(parts) == optimal_binning(whole)


@given(data=binning_data(min_rows=40), cut=st.floats(0.1, 0.9))
def test_categorical_stats_merge_by_category(data, cut):
    x, y = data
    cats = pd.Series(np.where(np.isnan(x), None, np.sign(x).astype(str)), dtype=object)
    k = int(len(x) * cut)
    whole = BinStats.from_data(cats, y)
    parts = BinStats.from_data(cats[:k], y[:k]) + BinStats.from_data(cats[k:], y[k:])
    assert parts == whole
    assert BinStats.from_dict(json.loads(json.dumps(whole.to_dict()))) == whole


def test_weights_equal_duplicated_rows():
    x, y = _risky(600)
    w = np.where(np.arange(600) % 3 == 0, 2.0, 1.0)
    dup = np.repeat(np.arange(600), w.astype(int))
    edges = quantile_edges(x, n_prebins=20)
    a = optimal_binning(BinStats.from_data(x, y, edges=edges, sample_weight=w))
    b = optimal_binning(BinStats.from_data(x[dup], y[dup], edges=edges))
    assert a == b


def test_inputs_not_mutated():
    x, y = _risky(500)
    xs = pd.Series(x, index=np.arange(500) * 2, name="f")
    xs[::7] = np.nan
    ys = pd.Series(y, index=xs.index)
    x_before, y_before = xs.copy(), ys.copy()
    bin_feature(xs, ys, special_values=(0.5,)).woe(xs)
    pd.testing.assert_series_equal(xs, x_before)
    pd.testing.assert_series_equal(ys, y_before)


# ----------------------------------------------------- missing and special ---


def test_missing_bin_gets_its_observed_woe():
    x, y = _risky(3000)
    x = x.copy()
    # missing rows are all bads: their WOE must be strongly negative, not 0
    miss = np.flatnonzero(y == 1)[:100]
    x[miss] = np.nan
    b = bin_feature(x, y)
    row = b.table.iloc[-1]
    assert row["label"] == "missing"
    assert row["bads"] == 100
    assert row["goods"] == 0
    assert row["woe"] < -3
    assert b.woe([np.nan])[0] == row["woe"]


def test_special_values_get_their_own_bins():
    x, y = _risky(3000)
    x = x.copy()
    x[:50] = -999.0
    x[50:60] = -998.0
    b = bin_feature(x, y, special_values=(-999, -998, -997), binning=BinningParams(unseen="raise"))
    labels = list(b.labels)
    assert labels[-2:] == ["special: -999", "special: -998"]
    assert b.special_bins[2] == -1  # never seen in training
    assert b.table["count"].iloc[-2:].tolist() == [50, 10]
    with pytest.raises(InvalidInputError, match=r"^Binning\.bin_index: x must hold only values seen "
                       r"in training \(unseen='raise'\); got unseen special value: 1 value \(-997\.0\)"):
        b.bin_index([-997.0])
    # the default policy, "rare", scores an unseen special value neutral (WOE 0, Binning docstring)
    default = bin_feature(x, y, special_values=(-999, -998, -997))
    assert default.unseen == "rare"
    assert default.woe([-997.0, -999.0]).tolist() == [0.0, b.woe([-999.0])[0]]


def test_values_beyond_training_range_fall_in_edge_bins():
    x, y = _risky()
    b = bin_feature(x, y)
    np.testing.assert_array_equal(b.bin_index([-1e9, 1e9]), [0, b.n_regular - 1])


def test_zero_bad_bin_has_large_finite_positive_woe():
    x = np.arange(200, dtype=float)
    y = (x < 40).astype(int)  # no bads above 40
    b = bin_feature(x, y, binning=BinningParams(min_bin_bads=0, max_bins=2))
    t = b.table
    assert t["bads"].iloc[-1] == 0
    assert np.isfinite(t["woe"]).all()
    assert t["woe"].iloc[-1] > 3


# ------------------------------------------------------------ categorical ---


def test_categorical_bins_ordered_by_woe_and_unseen_policy():
    rng = np.random.default_rng(1)
    cats = rng.choice(list("abcdef"), size=5000)
    risk = {"a": 0.02, "b": 0.05, "c": 0.1, "d": 0.2, "e": 0.3, "f": 0.4}
    y = (rng.random(5000) < pd.Series(cats).map(risk).to_numpy()).astype(int)
    b = bin_feature(pd.Series(cats, dtype="category"), y, binning=BinningParams(unseen="raise"))
    assert b.kind == "categorical"
    assert (np.diff(b.table["woe"]) > 0).all()
    assert "a" in b.groups[-1]
    assert "f" in b.groups[0]
    with pytest.raises(InvalidInputError, match=r"seen in training \(unseen='raise'\); got unseen "
                       r"category: 1 value \('z'\) at position 1\."):
        b.woe(["a", "z"])
    # default "rare": no level is rarer than min_category_share, so no rare bin and a new level is
    # neutral (WOE 0), never an error
    default = bin_feature(pd.Series(cats, dtype="category"), y)
    assert default.rare_bin == -1
    assert default.woe(["a", "z"]).tolist() == [b.woe(["a"])[0], 0.0]
    worst = bin_feature(cats, y, binning=BinningParams(unseen="worst"))
    assert worst.bin_index(["z"])[0] == int(np.argmin(worst.table["woe"]))
    with pytest.raises(InvalidInputError, match="does not apply to categorical"):
        bin_feature(cats, y, binning=BinningParams(monotonic="peak"))


def test_rare_categories_are_pooled():
    cats = np.array(["a"] * 500 + ["b"] * 480 + ["r1"] * 10 + ["r2"] * 10)
    y = np.array([0, 1] * 500)
    b = bin_feature(
        cats, y, binning=BinningParams(min_category_share=0.05, min_bin_share=0.0, monotonic="none"))
    assert any({"r1", "r2"} <= set(g) for g in b.groups)


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (pd.array([1, 2, None, 4] * 50, dtype="Int64"), "numeric"),
        (pd.array([1.5, None, 2.5, 4.0] * 50, dtype="Float64"), "numeric"),
        (np.array([1, 2, 3, 4] * 50, dtype=np.int32), "numeric"),
        (pd.array([True, False, None, True] * 50, dtype="boolean"), "categorical"),
        (np.array([True, False, False, True] * 50), "categorical"),
        (pd.Series(["a", "b", None, "c"] * 50, dtype="string"), "categorical"),
        (pd.Series(["a", "b", None, "c"] * 50, dtype=object), "categorical"),
        ([1, 2, None, 4] * 50, "numeric"),
    ],
)
def test_dtypes(values, kind):
    y = np.tile([0, 1, 0, 0, 1], 40)
    b = bin_feature(values, y, binning=BinningParams(min_bin_share=0.0))
    assert b.kind == kind
    assert b.table["count"].sum() == 200
    np.testing.assert_array_equal(np.bincount(b.bin_index(values)), b.table["count"])


# ------------------------------------------------------------- edge cases ---


def test_constant_column_is_one_bin_with_zero_iv():
    b = bin_feature(np.full(100, 3.0), np.tile([0, 1], 50))
    assert b.n_regular == 1
    assert b.labels == ("[-inf, inf)",)
    assert b.iv == 0.0


def test_fewer_rows_than_bins():
    b = bin_feature(
        [1.0, 2.0, 3.0], [0, 1, 0], binning=BinningParams(max_bins=6, min_bin_share=0.0, min_bin_goods=0))
    assert 1 <= b.n_regular <= 3


def test_all_missing_column_raises():
    with pytest.raises(InvalidInputError, match=r"^bin_feature: column 'f' must have regular values "
                       r"\(not only missing or special ones\); got no regular value "
                       r"\(total weight 10 missing"):
        bin_feature([np.nan] * 10, [0, 1] * 5, name="f")


def test_one_class_target_raises():
    with pytest.raises(InvalidInputError, match=r"^bin_feature: y must hold both classes, 1 \(bad\) "
                       r"and 0 \(good\); got only goods \(0\), one class"):
        bin_feature([1.0, 2.0, 3.0], [0, 0, 0])


def test_two_dimensional_categorical_x_raises_library_error():
    x = np.array([["a", "b"], ["b", "a"], ["a", "a"]], dtype=object)
    with pytest.raises(
        InvalidInputError, match=r"^bin_feature: x must be one-dimensional; got an array of shape \(3, 2\)\."
    ):
        bin_feature(x, [0, 1, 0], kind="categorical")


def test_bad_target_values_are_named():
    with pytest.raises(InvalidInputError, match=r"^bin_feature: y must hold 1 \(bad\) or 0 "
                       r"\(good\); got 2 values \(2\.0, -1\.0\) at positions 1, 3\."):
        bin_feature([1.0, 2.0, 3.0, 4.0], [0, 2, 1, -1])


def test_infinities_raise_with_rows():
    x = pd.Series([1.0, np.inf, 2.0, -np.inf], index=["a", "b", "c", "d"])
    with pytest.raises(InvalidInputError, match=r"^bin_feature: x must not hold infinities; got 2 "
                       r"values \(inf, -inf\) at rows 'b', 'd'\. Replace them"):
        bin_feature(x, [0, 1, 0, 1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_bins": 0}, r"^BinningParams: max_bins must be an integer >= 1; got 0\.$"),
        ({"max_bins": 2.0}, r"^BinningParams: max_bins must be an integer >= 1; got 2\.0 \(float\)\.$"),
        ({"max_bins": True}, r"^BinningParams: max_bins must be an integer >= 1; got True \(a bool\)\.$"),
        ({"min_bin_share": 0.6}, (r"^BinningParams: min_bin_share must be a finite number in \[0, "
            r"0\.5\]; got 0\.6")),
        ({"monotonic": "up"}, (r"^BinningParams: monotonic must be one of 'auto', 'ascending', .*; "
            r"got 'up'\.$")),
        ({"unseen": "zero"}, (r"^BinningParams: unseen must be one of 'raise', 'worst', 'neutral', "
            r"'missing', 'rare'; got 'zero'\.$")),
        ({"smoothing": 0}, (r"^BinningParams: smoothing must be a finite number in \(0, 1e\+12\]; got "
            r"0\. A bin")),
        ({"special_values": (np.nan,)}, (r"^bin_feature: special_values\[0\] must be text, an "
            r"integer, a finite ")),
        ({"sample_weight": [1.0, -1.0, 1.0, 1.0]}, (r"^bin_feature: sample_weight must lie >= 0; got "
            r"1 value \(-1\.0\)")),
        ({"seed": -1}, r"^BinningParams: seed must be a non-negative integer below 2\*\*63; got -1\."),
        ({"n_prebins": np.float64(10)}, (r"^BinningParams: n_prebins must be an integer in \[2, "
            r"1000\]; got (np\.float64\(10\.0\)|10\.0 \(float64\))")),
    ],
)
def test_parameter_errors(kwargs, message):
    # the fields of BinningParams are checked once, when the record is built, naming the record
    fields = {k: v for k, v in kwargs.items() if k in BinningParams.names()}

    def call():
        if fields:
            return bin_feature([1.0, 2.0, 3.0, 4.0], [0, 1, 0, 1], binning=BinningParams(**fields))
        return bin_feature([1.0, 2.0, 3.0, 4.0], [0, 1, 0, 1], **kwargs)

    with pytest.raises(InvalidInputError, match=message):
        call()


def test_stats_merge_needs_same_edges():
    a = BinStats.from_data([1.0, 2.0], [0, 1], edges=[1.5])
    b = BinStats.from_data([1.0, 2.0], [0, 1], edges=[1.7])
    with pytest.raises(InvalidInputError, match="must share kind, fine edges and special values"):
        a + b


def test_from_dict_checks_schema_and_version():
    b = bin_feature(*_risky(500))
    d = b.to_dict()
    with pytest.raises(
        InvalidInputError,
        match=r"^Binning\.from_dict: d must have schema 'jiebei_credit\.scorecard\.Binning' version 2; "
        r"got schema 'jiebei_credit\.scorecard\.Binning' version 99\. ",
    ):
        Binning.from_dict({**d, "version": 99})
    with pytest.raises(
        InvalidInputError, match=r"^Binning\.from_dict: d must have schema .* got schema 'other' version 2\. "
    ):
        Binning.from_dict({**d, "schema": "other"})


@pytest.mark.parametrize("kind", ["binning", "stats"])
def test_from_dict_rejects_missing_unknown_and_malformed_keys(kind):
    x, y = _risky(500)
    obj = bin_feature(x, y) if kind == "binning" else BinStats.from_data(x, y)
    cls, required = (Binning, "goods") if kind == "binning" else (BinStats, "bads")
    d = obj.to_dict()
    assert cls.from_dict(d) == obj
    name = cls.__name__
    head = rf"^{name}\.from_dict: d must be a valid {name} payload; got 1 problem:\n  - "
    with pytest.raises(InvalidInputError, match=head + r"d must have every key; got missing keys "
                       r"" + f"'{required}'"):
        cls.from_dict({k: v for k, v in d.items() if k != required})
    with pytest.raises(InvalidInputError, match=head + r"d must have only the keys .*; got unknown "
                       r"keys 'colour'"):
        cls.from_dict({**d, "colour": "red"})
    with pytest.raises(InvalidInputError, match=head + r"goods must be a list; got None\."):
        cls.from_dict({**d, "goods": None})
    with pytest.raises(InvalidInputError, match=rf"^{name}\.from_dict: d must be a mapping .*; got a list\."):
        cls.from_dict([])  # type: ignore[arg-type]


# -------------------------------------------------------- pre-binning ---


def test_quantile_edges_split_like_numpy_quantiles():
    # reference: numpy's inverted_cdf quantiles; our edges may be shorter numbers
    # but must put every value in the same fine bin.
    rng = np.random.default_rng(3)
    x = np.round(rng.lognormal(size=5000), 3)
    ref = np.unique(np.quantile(x, np.arange(1, 20) / 20, method="inverted_cdf"))
    ref = ref[ref > x.min()]
    ours = quantile_edges(x, n_prebins=20)
    np.testing.assert_array_equal(
        np.searchsorted(ours, x, side="right"), np.searchsorted(ref, x, side="right")
    )
    assert max(len(repr(float(e))) for e in ours) <= 5


def test_default_is_50_quantile_prebins():
    # issue 5: "quantile pre-bins (default 50 ...)"; 2 000 distinct values give 49 edges
    # (the 1/50 ... 49/50 quantiles) and bin_feature, BinStats, WOETransformer and Scorecard
    # use the same default
    from jiebei_credit.scorecard import Scorecard, WOETransformer

    x = np.arange(2000.0)
    y = (x % 3 == 0).astype(int)
    edges = quantile_edges(x)
    assert len(edges) == 49
    np.testing.assert_array_equal(BinStats.from_data(x, y).edges, edges)
    assert WOETransformer().binning.n_prebins == Scorecard().binning.n_prebins == 50


def test_quantile_sample_is_seeded():
    x = np.random.default_rng(0).normal(size=300_000)
    a = quantile_edges(x, sample_size=10_000, seed=1)
    assert np.array_equal(a, quantile_edges(x, sample_size=10_000, seed=1))
    assert not np.array_equal(a, quantile_edges(x, sample_size=10_000, seed=2))


@given(
    st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan)), min_size=1, max_size=60),
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40, unique=True),
)
def test_bin_index_matches_searchsorted_on_large_inputs(values, edges):
    # up to COMPARE_MAX_EDGES (32) edges the slots come from counting comparisons, above it
    # from the lookup grid of _bands.interval_index (20 000 rows: its 4096-cell grid when
    # the edges spread out, else binary search; test_digitize_grid_paths_match_searchsorted
    # forces each grid);
    # the reference is np.searchsorted
    edges_arr = np.sort(np.asarray(edges))
    b = Binning(
        kind="numeric",
        edges=tuple(edges_arr),
        goods=(1.0,) * (len(edges) + 2),
        bads=(1.0,) * (len(edges) + 2),
        labels=tuple(str(i) for i in range(len(edges) + 2)),
        has_missing=True,
    )
    x = np.resize(np.concatenate([values, edges_arr, np.nextafter(edges_arr, np.inf)]), 20_000)
    expected = np.searchsorted(edges_arr, x, side="right")
    expected[np.isnan(x)] = len(edges) + 1
    np.testing.assert_array_equal(b.bin_index(x), expected)


@pytest.mark.parametrize("clustered", [False, True])
def test_digitize_grid_paths_match_searchsorted(clustered):
    # spread edges fit the coarse grid (4096 cells, needs >= 16 384 rows); clustered lognormal
    # quantiles put more than GRID_MAX_EDGES edges in a coarse cell, so interval_index needs
    # the fine grid (65 536 cells, >= 262 144 rows)
    from jiebei_credit._bands import GRID_CELLS, _grid, interval_index

    rng = np.random.default_rng(11)
    if clustered:
        x = rng.lognormal(0.0, 2.0, 300_000)
        edges = np.unique(np.quantile(x[:50_000], np.linspace(0.01, 0.99, 150)))
        assert _grid(edges, GRID_CELLS[0]) is None
    else:
        x = rng.normal(size=20_000)
        edges = np.unique(np.round(np.quantile(x, np.linspace(0.02, 0.98, 49)), 4))
        assert _grid(edges, GRID_CELLS[0]) is not None
    assert _grid(edges, GRID_CELLS[-1] if clustered else GRID_CELLS[0]) is not None
    assert x.size >= 4 * (GRID_CELLS[-1] if clustered else GRID_CELLS[0])
    x[::97] = np.nan
    x[1::89] = edges[rng.integers(0, edges.size, x[1::89].size)]  # exactly on an edge
    x[2::83] = np.nextafter(edges[rng.integers(0, edges.size, x[2::83].size)], -np.inf)
    x[3::79] = edges[0] - 1.0
    x[4::73] = edges[-1] + 1.0
    expected = np.searchsorted(edges, x, side="right")
    expected[np.isnan(x)] = edges.size + 1
    got = interval_index(x, edges, np.empty(x.size, dtype=np.intp), nan=edges.size + 1)
    np.testing.assert_array_equal(got, expected)
    # through bin_index (more than COMPARE_MAX_EDGES edges: the grid is used)
    n_bins = edges.size + 2
    b = Binning(
        kind="numeric",
        edges=tuple(edges.tolist()),
        goods=(1.0,) * n_bins,
        bads=(1.0,) * n_bins,
        labels=tuple(str(i) for i in range(n_bins)),
        has_missing=True,
    )
    np.testing.assert_array_equal(b.bin_index(x), expected)


@given(data=binning_data(min_rows=40), k=st.integers(2, 40))
def test_doubling_prebins_refines_the_edges_and_never_lowers_iv(data, k):
    # the k/n quantile positions are among the 2k ones, so the fine edges only gain members,
    # every partition of the coarse fine bins stays available, and the optimum cannot fall
    x, y = data
    coarse = quantile_edges(x, n_prebins=k)
    fine = quantile_edges(x, n_prebins=2 * k)
    assert set(coarse.tolist()) <= set(fine.tolist())
    a = bin_feature(x, y, binning=BinningParams(n_prebins=k, min_bin_share=0.0))
    b = bin_feature(x, y, binning=BinningParams(n_prebins=2 * k, min_bin_share=0.0))
    assert b.iv >= a.iv - 1e-12
