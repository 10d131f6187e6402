"""Satisfaction surveys: the customer's answer (no bearer token: the link's token is the key) and the
satisfaction and follow-up coverage metrics."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import domain_error_body
from kesu.api.schemas import ErrorOut, TextIn
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.messages import given
from kesu.core.roles import Permission
from kesu.core.storable import datetime_require
from kesu.pipeline.aftercare import survey_answer
from kesu.surveys.actions import SurveyNotFound
from kesu.surveys.selectors import follow_up_coverage, satisfaction_summary

router = Router(tags=["surveys"])
MAX_DAYS = 3660


class AnswerIn(TextIn):
    satisfaction: int | None = Field(None, description="1 (very dissatisfied) to 5 (very satisfied)")
    nps: int | None = Field(None, description="0–10: how likely the customer is to recommend us (optional)")
    solved: bool | None = Field(None, description="was the problem solved?")
    comment: str = ""


class AnswerOut(Schema):
    complaint_number: str
    answered_at: datetime
    satisfaction: int
    nps: int | None
    solved: bool
    comment: str
    reopened: bool


class SatisfactionOut(Schema):
    sent: int = Field(description="surveys that reached the customer: e-mailed, on a tracking page, or answered")
    link_only: int = Field(description="of those, only on the customer's tracking page")
    unreachable: int = Field(description="created but with no way to reach the customer (not counted as sent)")
    answered: int
    response_rate: float | None
    csat_mean: float | None
    nps: float | None
    reopened: int


class CoverageOut(Schema):
    resolved: int
    followed_up: int
    rate: float | None


class MetricsOut(Schema):
    start: datetime = Field(..., alias="from")
    end: datetime = Field(..., alias="to")
    satisfaction: SatisfactionOut
    follow_up: CoverageOut


@router.post(
    "/{token}/answer", auth=None, response={201: AnswerOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def survey_answer_api(request: HttpRequest, token: str, payload: AnswerIn):
    """Answer a survey once. A 'not solved' answer or a low satisfaction reopens the complaint."""
    try:
        survey = survey_answer(token=token, now=clock_now(), **payload.dict())
    except SurveyNotFound as error:
        return HttpStatus(404, domain_error_body(error))
    return HttpStatus(201, {
        "complaint_number": survey.complaint.number, "answered_at": survey.answered_at,
        "satisfaction": survey.satisfaction, "nps": survey.nps, "solved": survey.solved,
        "comment": survey.comment, "reopened": survey.reopened,
    })


def _moment(field: str, value: str | None, default: datetime) -> datetime:
    if not value:
        return default
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FieldError(field, "api.not_datetime", got=given(value)) from None
    if len(value) == 10:  # a date: its start (UTC); "to" counts the whole day
        parsed = datetime.combine(parsed.date(), time(), tzinfo=UTC) + (timedelta(days=1) if field == "to" else timedelta())
    if parsed.tzinfo is None:
        raise FieldError(field, "api.no_timezone")
    datetime_require(field, parsed)
    return parsed


@router.get("/metrics", response={200: MetricsOut, 403: ErrorOut, 422: ErrorOut}, by_alias=True)
def survey_metrics_api(request: HttpRequest, start: str | None = Query(None, alias="from"),
                       end: str | None = Query(None, alias="to")):
    """Survey response rate, mean satisfaction (CSAT 1–5) and NPS of the surveys sent in [from, to), and the
    follow-up coverage of the complaints closed then. Default: the last 30 days."""
    permission_require(request, Permission.COMPLAINT_READ)
    now = clock_now()
    end_at = _moment("to", end, now)
    start_at = _moment("from", start, end_at - timedelta(days=30))
    if start_at >= end_at:
        raise FieldError("from", "api.period_order")
    if end_at - start_at > timedelta(days=MAX_DAYS):
        raise FieldError("from", "api.period_too_long", limit=MAX_DAYS)
    return {
        "from": start_at, "to": end_at,
        "satisfaction": satisfaction_summary(start=start_at, end=end_at),
        "follow_up": follow_up_coverage(start=start_at, end=end_at),
    }
