"""Report tables with their coded values (kinds, stages, segments, weekdays) in words."""

from __future__ import annotations

from dataclasses import replace

from moments_desk.core.reports.bundles import WEEKDAYS
from moments_desk.core.reports.customers import Segment
from moments_desk.core.reports.table import Cell, ReportTable
from moments_desk.db.models import CustomerStage, PostKind
from moments_desk.ui.kit import labels
from moments_desk.ui.reports.titles import segment_name, weekday_short


def _word(key: str, value: Cell) -> Cell:
    if not isinstance(value, str) or not value:
        return value
    if key == "kind" or (key == "key" and value in PostKind._value2member_map_):
        return labels.post_kind(PostKind(value))
    if key == "stage":
        return labels.customer_stage(CustomerStage(value))
    if key == "segment":
        return segment_name(Segment(value))
    if key == "weekday" and value in WEEKDAYS:
        return weekday_short(WEEKDAYS.index(value))
    return value


def localise(table: ReportTable) -> ReportTable:
    keys = [c.key for c in table.columns]
    rows = tuple(
        tuple(_word(key, value) for key, value in zip(keys, row, strict=True)) for row in table.rows
    )
    return replace(table, rows=rows)
