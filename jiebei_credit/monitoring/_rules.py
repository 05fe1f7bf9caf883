"""Early-warning rules: typed records with a threshold, and the default rule set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from jiebei_credit._persist import payload_fields
from jiebei_credit._validation import choice, fail, real

RuleKind = Literal["level", "crossing", "absolute_change", "relative_change"]
Comparison = Literal[">", ">=", "<", "<="]
#: Allowed values of :attr:`WarningRule.kind`.
RULE_KINDS: tuple[RuleKind, ...] = ("level", "crossing", "absolute_change", "relative_change")
#: Allowed values of :attr:`WarningRule.comparison`.
COMPARISONS: tuple[Comparison, ...] = (">", ">=", "<", "<=")

_SCHEMA = "jiebei_credit.monitoring.WarningRule"
_VERSION = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningRule:
    """One early-warning rule on one feature column.

    Parameters
    ----------
    name : str
        Identifier of the rule; the column name in the output of
        :func:`early_warnings`. Unique within a rule set.
    column : str
        Feature column the rule reads.
    kind : {"level", "crossing", "absolute_change", "relative_change"}
        What is compared with ``threshold``:

        - ``"level"``: the current value;
        - ``"crossing"``: the current value, flagging only when the previous
          value did *not* meet the condition (a newly met condition);
        - ``"absolute_change"``: ``now - previous``;
        - ``"relative_change"``: ``(now - previous) / |previous|``, undefined
          when the previous value is 0.
    comparison : {">", ">=", "<", "<="}
        How the quantity is compared with ``threshold``.
    threshold : float
        Finite threshold, in the units of the quantity (a share for
        ``relative_change``: ``-0.3`` is a 30 % fall).
    description_en, description_zh : str, default ""
        What a flag means, in English and Chinese, for reason codes and
        reports.

    Raises
    ------
    InvalidInputError
        If ``name`` or ``column`` is not a non-empty string, a description is
        not a string, ``kind`` or ``comparison`` is not one of the allowed
        strings, or ``threshold`` is not a finite real number (bools, strings
        and NaN are refused).

    Examples
    --------
    >>> from jiebei_credit.monitoring import WarningRule
    >>> rule = WarningRule(name="receipts_halved", column="receipts_monthly_mean_90d",
    ...                    kind="relative_change", comparison="<=", threshold=-0.5,
    ...                    description_en="Monthly receipts halved", description_zh="月均收款减半")
    >>> WarningRule.from_dict(rule.to_dict()) == rule
    True
    """

    name: str
    column: str
    kind: RuleKind
    comparison: Comparison
    threshold: float
    description_en: str = ""
    description_zh: str = ""

    def __post_init__(self) -> None:
        where = f"WarningRule {self.name!r}" if isinstance(self.name, str) else "WarningRule"
        for attr in ("name", "column"):
            value = getattr(self, attr)
            if not isinstance(value, str) or not value.strip():
                raise fail(where, attr, "must be a non-empty string", repr(value)[:60])
        for attr in ("description_en", "description_zh"):
            value = getattr(self, attr)
            if not isinstance(value, str):
                raise fail(where, attr, "must be a string", repr(value)[:60])
        choice(self.kind, RULE_KINDS, func=where, name="kind")
        choice(self.comparison, COMPARISONS, func=where, name="comparison")
        threshold = real(self.threshold, func=where, name="threshold",
                         fix="In the units of the quantity (a share for relative_change).")
        object.__setattr__(self, "threshold", threshold)

    @property
    def needs_previous(self) -> bool:
        """Whether the rule reads the previous snapshot (every kind but ``"level"``)."""
        return self.kind != "level"

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with ``schema`` and ``version``; inverse of :meth:`from_dict`.

        Returns
        -------
        dict of str to object
            ``schema``, ``version`` and every field by name.
        """
        out: dict[str, Any] = {"schema": _SCHEMA, "version": _VERSION}
        out.update({f.name: getattr(self, f.name) for f in fields(self)})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WarningRule:
        """Rebuild a rule from :meth:`to_dict` output.

        Parameters
        ----------
        data : mapping
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        WarningRule
            A rule equal to the one that wrote ``data``.

        Raises
        ------
        InvalidInputError
            If the schema name or version is not this class's, or fields are
            missing or unknown.
        """
        if isinstance(data, Mapping):
            for key, kind in (("schema", str), ("version", int)):
                value = data.get(key)
                if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
                    raise fail("WarningRule.from_dict", f"data[{key!r}]", f"must be a {kind.__name__}",
                               repr(value)[:60], "Pass the output of WarningRule.to_dict().")
        return cls(**payload_fields(cls, data, schema=_SCHEMA, version=_VERSION))


#: The default early-warning rules, on the feature names of
#: :func:`jiebei_credit.features.extract`. Thresholds are design choices, not
#: regulation: tune them to the portfolio.
DEFAULT_RULES: tuple[WarningRule, ...] = (
    WarningRule(
        name="new_delinquency",
        column="dpd_now",
        kind="crossing",
        comparison=">=",
        threshold=1,
        description_en="Newly past due: days past due went from 0 to 1 or more.",
        description_zh="新增逾期：逾期天数由 0 变为 1 天及以上。",
    ),
    WarningRule(
        name="delinquency_over_30",
        column="dpd_now",
        kind="crossing",
        comparison=">",
        threshold=30,
        description_en="Entered 31+ days past due (PBoC bucket 2 or worse).",
        description_zh="逾期超过 30 天（进入人行逾期第 2 档及以上）。",
    ),
    WarningRule(
        name="utilisation_jump",
        column="util_now",
        kind="absolute_change",
        comparison=">=",
        threshold=0.3,
        description_en="Utilisation of the limit rose by 30 percentage points or more.",
        description_zh="额度使用率上升 30 个百分点及以上。",
    ),
    WarningRule(
        name="utilisation_high",
        column="util_now",
        kind="crossing",
        comparison=">=",
        threshold=0.9,
        description_en="Utilisation newly reached 90 % of the limit.",
        description_zh="额度使用率新达到 90% 及以上。",
    ),
    WarningRule(
        name="receipts_drop",
        column="receipts_monthly_mean_90d",
        kind="relative_change",
        comparison="<=",
        threshold=-0.3,
        description_en="Mean monthly merchant sale receipts (90 days) fell by 30 % or more.",
        description_zh="近 90 天月均经营收款下降 30% 及以上。",
    ),
    WarningRule(
        name="inquiry_spike",
        column="inq_count_30d",
        kind="absolute_change",
        comparison=">=",
        threshold=3,
        description_en="Three or more extra credit inquiries in the last 30 days (multi-lender borrowing).",
        description_zh="近 30 天征信查询次数增加 3 次及以上（多头借贷）。",
    ),
    WarningRule(
        name="zhima_drop",
        column="zhima_latest",
        kind="absolute_change",
        comparison="<=",
        threshold=-30,
        description_en="Zhima score fell by 30 points or more.",
        description_zh="芝麻分下降 30 分及以上。",
    ),
    WarningRule(
        name="limit_cut",
        column="limit_now",
        kind="relative_change",
        comparison="<=",
        threshold=-0.2,
        description_en="Credit limit in force was cut by 20 % or more.",
        description_zh="授信额度下调 20% 及以上。",
    ),
)
