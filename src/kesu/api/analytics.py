"""Analytics: the KPIs of a period against their targets, the dashboard's series, setting a target."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kesu.analytics.kpis import KPI_NAMES
from kesu.api.auth import permission_require
from kesu.api.schemas import ErrorOut
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.messages import given
from kesu.core.roles import Permission
from kesu.core.storable import datetime_require

router = Router(tags=["analytics"])


class KpiOut(Schema):
    value: float | None = Field(description="the KPI's value (a share 0–1; satisfaction: mean 1–5; NPS: −100–100)")
    target: float | None
    state: str = Field(description="ok / amber / red / no_target")
    numerator: int
    denominator: int


KpisOut = type("KpisOut", (Schema,), {"__annotations__": dict.fromkeys(KPI_NAMES, KpiOut)})


class TargetIn(Schema):
    target: float
    amber: float
    red: float


class TargetOut(TargetIn):
    kpi: str


def _day(field: str, value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        raise FieldError(field, "api.not_datetime", got=given(value)) from None
    datetime_require(field, day)
    return day


@router.get("/kpis", response={200: KpisOut, 403: ErrorOut, 422: ErrorOut})
def analytics_kpis_api(request: HttpRequest, start: str | None = Query(None, alias="from"),
                       end: str | None = Query(None, alias="to"), group: str = ""):
    """Every KPI of the local days [from, to] (both included; default: the last 30 days), for the
    whole centre or one group (its code): value, target, state and the counts behind it."""
    from kesu.analytics.actions import centre_zone
    from kesu.analytics.queries import kpis_query

    permission_require(request, Permission.ANALYTICS_READ)
    today = clock_now().astimezone(centre_zone()).date()
    date_to = _day("to", end, today)
    date_from = _day("from", start, date_to - timedelta(days=29))
    return kpis_query(date_from=date_from, date_to=date_to, group=group)


@router.put("/targets/{kpi}", response={200: TargetOut, 403: ErrorOut, 422: ErrorOut})
def analytics_target_api(request: HttpRequest, kpi: str, payload: TargetIn):
    """Set a KPI's target and amber / red thresholds (decision layer)."""
    from kesu.analytics.actions import kpi_target_set

    user = permission_require(request, Permission.KPI_TARGET_SET)
    row = kpi_target_set(kpi=kpi, target=payload.target, amber=payload.amber, red=payload.red, by=user,
                         now=clock_now())
    return {"kpi": row.kpi, "target": row.target, "amber": row.amber, "red": row.red}
