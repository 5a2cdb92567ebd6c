"""The query parameters every love-score API endpoint shares, declared once: the period in whole
months and the five dimension filters, validated the same way everywhere (a bad date, an unknown
grain, an end before the start or more than 36 months is a 422 naming the parameter)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, ValidationInfo, field_validator

from comptoir.voice import analytics
from comptoir.voice.analytics import Filters

MAX_MONTHS = 36
Id = int | None


class DimensionsQuery(Schema):
    """Narrow the answers to one business unit, region, journey step, segment or owner's team."""

    unit: Id = Field(None, ge=1)
    region: Id = Field(None, ge=1)
    step: Id = Field(None, ge=1)
    segment: Id = Field(None, ge=1)
    team: Id = Field(None, ge=1)


class AnalyticsQuery(DimensionsQuery):
    """A period of whole months (any day of the first and last month; default: the last twelve)."""

    start: dt.date | None = None
    end: dt.date | None = Field(None, validate_default=True)  # checked even when left out

    @field_validator("end")
    @classmethod
    def _period(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if start is None and end is None:
            return end
        f = cls._period_of(start, end)
        if f.start > f.end or f.months > MAX_MONTHS:
            raise ValueError(f"Choose a period of 1 to {MAX_MONTHS} months, start before end.")
        return end

    @staticmethod
    def _period_of(start: dt.date | None, end: dt.date | None) -> Filters:
        base = Filters.last_months(12)
        last = analytics.month_start(end) if end else base.end
        first = analytics.month_start(start) if start else analytics.add_months(last, -11)
        return Filters(start=first, end=last)

    def filters(self) -> Filters:
        period = self._period_of(self.start, self.end)
        return Filters(
            start=period.start,
            end=period.end,
            unit=self.unit,
            region=self.region,
            step=self.step,
            segment=self.segment,
            team=self.team,
        )


class DashboardQuery(AnalyticsQuery):
    grain: Literal["week", "month", "quarter"] = "month"


class PrioritiesQuery(AnalyticsQuery):
    by: Literal["unit", "step", "region", "segment"] = "unit"


class NpsQuery(DimensionsQuery):
    """Exact days, both included (the NPS of any date range, read from the answers)."""

    start: dt.date
    end: dt.date
    account: Id = Field(None, ge=1)

    @field_validator("end")
    @classmethod
    def _order(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and start > end:
            raise ValueError("start must come before end.")
        return end
