"""The writers of incidents: declare, publish an update, link / unlink complaints, answer the linked
customers, resolve (by a chunked, idempotent job), record a deflection, decide a burst suggestion.

Every action: keyword-only, takes ``now``, one transaction, events on the complaints it touches.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.dateparse import parse_datetime

from kesu.channels.models import WebhookEvent
from kesu.channels.replies import SMS_LIMIT, complaint_reply_send, sms_fit
from kesu.channels.webhooks_out import webhook_emit
from kesu.complaints.actions import complaint_event_record
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, RootCause, Status
from kesu.core.errors import Conflict, FieldError, FieldErrors, permission_require
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.core.storable import datetime_require
from kesu.customers.models import Tier
from kesu.incidents.matching import LOW_SCORE, best_match, scopes_active
from kesu.incidents.models import (
    BurstSuggestion,
    Deflection,
    How,
    Incident,
    IncidentEvent,
    IncidentLink,
    IncidentUpdate,
    Kind,
    State,
    SuggestionState,
)
from kesu.incidents.scope import CompiledScope, Match, scope_clean

logger = logging.getLogger(__name__)

RESOLVE_CHUNK = 500
MAX_TEXT = 2000
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


def _manage(by: User | None) -> None:
    if by is not None:
        permission_require(by, Permission.INCIDENT_MANAGE)


def _text(field: str, value, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    if value is not None and not isinstance(value, str):
        raise FieldError(field, "field.not_text", got=str(value)[:40])
    value = (value or "").strip()
    if required and not value:
        raise FieldError(field, "field.required")
    if len(value) > limit:
        raise FieldError(field, "field.too_long", limit=limit, got=len(value))
    return value


def _when(field: str, value, *, required: bool) -> datetime | None:
    if value in (None, ""):
        if required:
            raise FieldError(field, "field.required")
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:  # well formed but not a time: month 13, hour 25
            parsed = None
        if parsed is None:
            raise FieldError(field, "incident.not_datetime", got=str(value)[:40])
    if parsed.tzinfo is None:
        raise FieldError(field, "incident.no_timezone", got=parsed.isoformat())
    datetime_require(field, parsed)
    return parsed


def _bilingual(field: str, value, *, required: bool = True) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise FieldError(field, "incident.text_languages")
    errors: list[FieldError] = []
    texts = []
    for language in ("zh-hans", "en"):
        try:
            texts.append(_text(f"{field}.{language}", value.get(language), required=required))
        except FieldError as error:
            errors.extend(error.field_errors)
    if errors:
        raise FieldErrors(errors)
    return texts[0], texts[1]


def _checked(fn, errors: list[FieldError]):
    try:
        return fn()
    except FieldError as error:
        errors.extend(error.field_errors)
        return None


@dataclass(frozen=True)
class Declared:
    incident: Incident
    linked: int


def incident_declare(*, by: User | None, now: datetime, title, kind, announcement, scope, starts_at=None,
                     expected_recovery_at=None, description="", owner: User | None = None,
                     link_matching: bool = False, suggestion_id: int | None = None) -> Declared:
    """Declare an incident (state active, public update 1); with ``link_matching`` the open complaints
    already in its scope are linked in the same step."""
    _manage(by)
    from kesu.complaints.models import Category

    errors: list[FieldError] = []
    title = _checked(lambda: _text("title", title, limit=200), errors)
    if kind not in Kind.values:
        errors.append(FieldError("kind", "field.choice", got=str(kind)[:40], choices=", ".join(Kind.values)))
    texts = _checked(lambda: _bilingual("announcement", announcement), errors)
    categories = frozenset(Category.objects.values_list("code", flat=True))
    clean_scope = _checked(lambda: scope_clean(scope, categories=categories), errors)
    starts = _checked(lambda: _when("starts_at", starts_at, required=False), errors) or now
    expected = _checked(lambda: _when("expected_recovery_at", expected_recovery_at, required=False), errors)
    description = _checked(lambda: _text("description", description, required=False, limit=10_000), errors)
    if expected is not None and expected <= starts:
        errors.append(FieldError("expected_recovery_at", "incident.recovery_before_start"))
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        incident = Incident.objects.create(
            title=title, kind=kind, description=description or "", announcement_zh=texts[0],
            announcement_en=texts[1], scope=clean_scope, starts_at=starts, expected_recovery_at=expected,
            owner=owner or by, declared_at=now, declared_by=by, updated_at=now,
            suggestion_id=suggestion_id,
        )
        IncidentUpdate.objects.create(incident=incident, version=1, announcement_zh=texts[0],
                                      announcement_en=texts[1], expected_recovery_at=expected, at=now, by=by)
        if suggestion_id is not None:
            BurstSuggestion.objects.filter(pk=suggestion_id, state=SuggestionState.OPEN).update(
                state=SuggestionState.DECLARED, decided_at=now, decided_by=by)
        linked = 0
        if link_matching:
            linked = incident_link_matching(incident=incident, by=by, now=now)
    return Declared(incident=incident, linked=linked)


def matching_open(incident: Incident, *, limit: int | None = None) -> list[tuple[Complaint, Match]]:
    """The open complaints, not yet linked to an incident, that the incident's scope matches (newest
    first), with their match."""
    scope = CompiledScope.compile(incident.pk, incident.starts_at, incident.scope)
    found = []
    candidates = (
        Complaint.objects.filter(status__in=OPEN, merged_into__isnull=True, created_at__gte=incident.starts_at,
                                 incident_link__isnull=True)
        .select_related("category", "customer").order_by("-created_at", "-id")
    )
    for complaint in candidates.iterator(chunk_size=2000):
        match = best_match(complaint, scopes=(scope,), at=complaint.created_at)
        if match is not None:
            found.append((complaint, match[1]))
            if limit is not None and len(found) >= limit:
                break
    return found


def incident_link_matching(*, incident: Incident, by: User | None, now: datetime) -> int:
    """Link every open complaint its scope matches ("link all" on declaring)."""
    _manage(by)
    count = 0
    with transaction.atomic():
        for complaint, match in matching_open(incident):
            _link(incident, complaint, how=How.DECLARE, match=match, by=by, now=now, answer=True)
            count += 1
    return count


# ---- linking -----------------------------------------------------------------------------------


def _exception(complaint: Complaint, incident: Incident, match: Match, now: datetime) -> str:
    """Why a matching complaint still goes to a handler ("" when it may wait on the incident)."""
    if complaint.red_channel:
        return "red_channel"
    if incident.state == State.MONITORING:
        return "after_recovery"
    if complaint.customer.tier == Tier.VIP:
        return "vip"
    threshold = Decimal(str(settings.KESU_INCIDENT_COMPENSATION_THRESHOLD))
    if complaint.amount_claimed is not None and complaint.amount_claimed > threshold:
        return "compensation"
    if (
        incident.expected_recovery_at is not None and now > incident.expected_recovery_at
        and IncidentLink.objects.filter(incident=incident, complaint__customer_id=complaint.customer_id)
        .exclude(complaint=complaint).exists()
    ):
        return "repeat_after_expected"
    if match.score < LOW_SCORE:
        return "low_score"
    return ""


def _link(incident: Incident, complaint: Complaint, *, how: str, match: Match | None, by: User | None,
          now: datetime, answer: bool, reason: str = "") -> IncidentLink:
    exception = _exception(complaint, incident, match, now) if match is not None else ""
    link = IncidentLink.objects.create(
        incident=incident, complaint=complaint, how=how, score=match.score if match else 1.0,
        reasons=list(match.reasons) if match else [], waits=not exception, exception=exception, linked_at=now,
        linked_by=by,
    )
    complaint_event_record(
        complaint_id=complaint.pk, kind=EventKind.INCIDENT_LINKED, by=by, now=now,
        incident={"id": incident.pk, "title": incident.title}, how=how, score=link.score,
        reasons=link.reasons, waits=link.waits, exception=exception, reason=reason,
        expected_recovery_at=_iso(incident.expected_recovery_at),
    )
    if answer and (link.waits or exception == "after_recovery"):  # monitoring: told the recovery all the same
        _answer(link, incident, complaint, now=now)
    return link


def link_at_intake(complaint: Complaint, *, incident_id: int, match: Match, now: datetime) -> bool:
    """The pipeline's incidents step for a complaint that matched: link, answer, say whether it waits."""
    incident = Incident.objects.filter(pk=incident_id, state__in=(State.ACTIVE, State.MONITORING)).first()
    if incident is None:  # resolved or withdrawn since this process compiled the scopes: routed as usual
        return False
    link = _link(incident, complaint, how=How.INTAKE, match=match, by=None, now=now, answer=True)
    return link.waits


def incident_intake_step(complaint: Complaint, *, now: datetime) -> bool:
    """Inside the intake transaction, after triage: link a new complaint to the active incident whose
    scope and time it matches and answer the customer. True: it waits on the incident (no handler's
    queue); False: no incident, or a handler takes it (with the incident shown)."""
    if not scopes_active():
        complaint._intake_unlinked = True  # type: ignore[attr-defined]  # the answer need not read its link
        return False
    found = best_match(complaint, at=now)
    if found is None:
        complaint._intake_unlinked = True  # type: ignore[attr-defined]
        return False
    return link_at_intake(complaint, incident_id=found[0], match=found[1], now=now)


def incident_link(*, incident: Incident, complaint: Complaint, by: User | None, now: datetime,
                  reason: str = "") -> IncidentLink:
    """A handler or manager links a complaint by hand (an event with the reason); it is answered."""
    if by is not None:
        permission_require(by, Permission.COMPLAINT_HANDLE)
    reason = _text("reason", reason, required=False, limit=500)
    if incident.state == State.RESOLVED:
        raise Conflict("incident.resolved", title=incident.title)
    with transaction.atomic():
        current = Complaint.objects.select_for_update(of=("self",)).select_related("customer").get(pk=complaint.pk)
        existing = IncidentLink.objects.filter(complaint=current).select_related("incident").first()
        if existing is not None:
            raise Conflict("incident.already_linked", number=current.number, title=existing.incident.title)
        if current.status not in OPEN:
            raise Conflict("incident.complaint_finished", number=current.number)
        link = _link(incident, current, how=How.MANUAL, match=None, by=by, now=now, answer=True, reason=reason)
    return link


def unlink_reason_clean(reason) -> str:
    """The reason written on an unlink event (optional text, at most 500 characters)."""
    return _text("reason", reason, required=False, limit=500)


def incident_unlink_write(*, incident: Incident, complaint: Complaint, by: User | None, now: datetime,
                          reason: str = "") -> bool:
    """Remove a link (an event with the reason), in the caller's transaction; True when the complaint
    waited on the incident. The complaint's normal handling (routing, its own SLA clocks) is the
    caller's: ``pipeline.incidents.incident_unlink``."""
    if by is not None:
        permission_require(by, Permission.COMPLAINT_HANDLE)
    reason = unlink_reason_clean(reason)
    link = IncidentLink.objects.select_for_update().filter(incident=incident, complaint_id=complaint.pk).first()
    if link is None:
        raise FieldError("complaint_id", "incident.not_linked", number=complaint.number)
    waited = link.waits and link.closed_by_incident_at is None
    link.delete()
    complaint_event_record(
        complaint_id=complaint.pk, kind=EventKind.INCIDENT_UNLINKED, by=by, now=now,
        incident={"id": incident.pk, "title": incident.title}, reason=reason,
    )
    return waited


# ---- answering the customers -----------------------------------------------------------------


def _stamp(at: datetime | None) -> str:
    if at is None:
        return ""
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def announcement_text(zh: str, en: str, expected: datetime | None) -> str:
    """What the customer receives: the announcement in both languages with the expected recovery."""
    from kesu.core.messages import message_render

    lines = [zh]
    if expected is not None:
        lines.append(message_render("incident.expected", {"at": _stamp(expected)}, language="zh-hans"))
    lines += ["", en]
    if expected is not None:
        lines.append(message_render("incident.expected", {"at": _stamp(expected)}, language="en"))
    return "\n".join(lines)


_CJK = re.compile(r"[\u3400-\u9fff]")


def complaint_language(complaint: Complaint) -> str:
    """The language the customer wrote in: ``zh-hans`` when the subject or the text holds a Chinese
    character, else ``en`` (kesu records no language per customer)."""
    return "zh-hans" if _CJK.search(f"{complaint.subject} {complaint.content}") else "en"


def announcement_sms(zh: str, en: str, expected: datetime | None, *, language: str) -> str:
    """The SMS of an announcement (or a closing message): in the customer's language only, the expected
    recovery on its last line, at most ``SMS_LIMIT`` characters — the announcement is cut (with an
    ellipsis) so that the expected time always fits."""
    from kesu.core.messages import message_render

    chinese = language.startswith("zh")
    tail = message_render("incident.expected", {"at": _stamp(expected)}, language=language) if expected else ""
    room = SMS_LIMIT - (len(tail) + 1 if tail else 0)
    body = sms_fit(zh if chinese else en, room)
    return f"{body}\n{tail}" if tail else body


def incident_text(complaint: Complaint, zh: str, en: str, expected: datetime | None) -> str:
    """What ``complaint``'s customer receives: an SMS in their language (``announcement_sms``), any
    other channel both languages (``announcement_text``)."""
    if complaint.channel == Channel.SMS:
        return announcement_sms(zh, en, expected, language=complaint_language(complaint))
    return announcement_text(zh, en, expected)


def _send(complaint: Complaint, text: str, *, incident: Incident, now: datetime, kind: str) -> None:
    """Send on the complaint's channel: e-mail as a threaded reply; the web form as a reply shown on the
    portal's tracking page (and e-mail when the customer gave one); SMS as a text message through the
    SMS gateway (``channels.replies``); and for SMS, chat and social the outbound ``incident.message``
    webhook too (the chat / social connectors subscribe to it)."""
    complaint_reply_send(complaint=complaint, by=None, text=text, now=now)
    if complaint.channel in (Channel.SMS, Channel.CHAT, Channel.SOCIAL, Channel.PHONE, Channel.API):
        webhook_emit(event_type=WebhookEvent.INCIDENT_MESSAGE, complaint=complaint, now=now, payload={
            "incident": {"id": incident.pk, "title": incident.title}, "kind": kind, "channel": complaint.channel,
            "text": text,
        })


def _answer(link: IncidentLink, incident: Incident, complaint: Complaint, *, now: datetime) -> None:
    text = incident_text(complaint, incident.announcement_zh, incident.announcement_en,
                         incident.expected_recovery_at)
    _send(complaint, text, incident=incident, now=now, kind="announcement")
    IncidentLink.objects.filter(pk=link.pk).update(answered_version=incident.version)
    link.answered_version = incident.version


def incident_update(*, incident: Incident, by: User | None, now: datetime, announcement,
                    expected_recovery_at=None) -> IncidentUpdate:
    """A public update: new text and / or a new expected time (version + 1). The linked customers who
    wait are sent it by the push job (``incident_push``)."""
    _manage(by)
    errors: list[FieldError] = []
    texts = _checked(lambda: _bilingual("announcement", announcement), errors)
    expected = _checked(lambda: _when("expected_recovery_at", expected_recovery_at, required=False), errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if current.state == State.RESOLVED:
            raise Conflict("incident.resolved", title=current.title)
        previous = current.expected_recovery_at
        current.version += 1
        current.announcement_zh, current.announcement_en = texts
        if expected is not None:
            current.expected_recovery_at = expected
        current.updated_at = now
        current.save()
        moved = expected is not None and expected != previous
        update = IncidentUpdate.objects.create(
            incident=current, version=current.version, announcement_zh=texts[0], announcement_en=texts[1],
            expected_recovery_at=current.expected_recovery_at, at=now, by=by)
        if moved:
            waiting_deadlines_move(current, by=by, now=now)
        incident_id = current.pk
        transaction.on_commit(lambda: _enqueue_push(incident_id))
    incident.refresh_from_db()
    return update


def waiting_deadlines_move(incident: Incident, *, by: User | None, now: datetime) -> int:
    """The incident's expected recovery moved: it is the deadline of every complaint still waiting on
    it (ADR 0011). In bulk, in the caller's transaction: one ``incident_updated`` event each (the SLA
    reads the deadline back from it on every later refresh) in batched INSERTs, and one UPDATE of
    their stored deadline. Returns how many complaints it moved."""
    waiting = list(IncidentLink.objects.filter(
        incident=incident, waits=True, closed_by_incident_at__isnull=True, complaint__status__in=OPEN,
    ).values_list("complaint_id", "complaint__status"))
    if not waiting:
        return 0
    expected = incident.expected_recovery_at
    data = {"incident": {"id": incident.pk, "title": incident.title}, "version": incident.version,
            "expected_recovery_at": _iso(expected)}
    ComplaintEvent.objects.bulk_create([
        ComplaintEvent(complaint_id=complaint_id, kind=EventKind.INCIDENT_UPDATED, actor=by, at=now,
                       from_status=status, to_status=status, data=data)
        for complaint_id, status in waiting
    ], batch_size=2000)
    ids = [complaint_id for complaint_id, _status in waiting]
    for start in range(0, len(ids), 2000):
        Complaint.objects.filter(pk__in=ids[start:start + 2000]).update(sla_deadline_at=expected, updated_at=now)
    return len(ids)


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def incident_push(*, incident_id: int, now: datetime, chunk: int = RESOLVE_CHUNK) -> int:
    """Send the current public update to every waiting linked customer not yet answered with it, one
    complaint per transaction (the link row records the version sent: sent exactly once)."""
    sent = 0
    while True:
        ids = list(IncidentLink.objects.filter(
            incident_id=incident_id, waits=True, closed_by_incident_at__isnull=True,
            answered_version__lt=Incident.objects.filter(pk=incident_id).values("version")[:1],
        ).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return sent
        for link_id in ids:
            with transaction.atomic():
                incident = Incident.objects.get(pk=incident_id)
                link = IncidentLink.objects.select_for_update().select_related("complaint").get(pk=link_id)
                if link.answered_version >= incident.version or link.complaint.status not in OPEN:
                    IncidentLink.objects.filter(pk=link_id).update(answered_version=incident.version)
                    continue
                _answer(link, incident, link.complaint, now=now)
                sent += 1


def _enqueue_push(incident_id: int) -> None:
    from kesu.incidents.tasks import incident_push_job

    try:
        incident_push_job(incident_id)
    except Exception:
        logger.exception("could not enqueue the push of incident %s; the sweep sends it", incident_id)


# ---- monitoring -------------------------------------------------------------------------------


def incident_monitor(*, incident: Incident, by: User | None, now: datetime, note="") -> Incident:
    """Active → monitoring: recovery is reported and the management layer watches whether it holds (an
    incident event with the note). While monitoring, the incident still recognises new matching
    complaints and answers them with its announcement, but each goes to a handler (exception
    ``after_recovery``): a customer still affected after the recovery may not be covered by it. The
    complaints already waiting keep waiting and are closed when the incident is resolved."""
    _manage(by)
    note = _text("note", note, required=False, limit=MAX_TEXT)
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if current.state != State.ACTIVE:
            raise Conflict("incident.not_active", title=current.title, state=current.get_state_display())
        current.state, current.monitoring_at, current.updated_at = State.MONITORING, now, now
        current.save(update_fields=["state", "monitoring_at", "updated_at"])
        IncidentEvent.objects.create(incident=current, kind=IncidentEvent.Kind.MONITORING, at=now, by=by,
                                     data={"note": note})
    return current


# ---- resolution ------------------------------------------------------------------------------


def incident_resolve(*, incident: Incident, by: User | None, now: datetime, message, root_cause) -> Incident:
    """Resolve: record the closing message and root cause; the job answers, resolves and closes every
    linked complaint (``incident_resolve_run``)."""
    _manage(by)
    errors: list[FieldError] = []
    texts = _checked(lambda: _bilingual("message", message), errors)
    if root_cause not in RootCause.values:
        errors.append(FieldError("root_cause", "field.choice", got=str(root_cause)[:40],
                                 choices=", ".join(RootCause.values)))
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if current.resolve_requested_at is not None:
            raise Conflict("incident.resolved", title=current.title)
        current.closing_zh, current.closing_en = texts
        current.root_cause = root_cause
        current.resolve_requested_at = now
        current.state = State.RESOLVED
        current.resolve_total = IncidentLink.objects.filter(incident=current, waits=True).count()
        current.resolve_done = 0
        current.updated_at = now
        current.save()
        incident_id = current.pk
        transaction.on_commit(lambda: _enqueue_resolve(incident_id))
    return current


def _enqueue_resolve(incident_id: int) -> None:
    from kesu.incidents.tasks import incident_resolve_job

    try:
        incident_resolve_job(incident_id)
    except Exception:
        logger.exception("could not enqueue the resolution of incident %s; the sweep runs it", incident_id)


def closing_due(incident_id: int, *, chunk: int = RESOLVE_CHUNK) -> list[int]:
    """The next links of a resolved incident whose complaint has not been closed by it (by id)."""
    return list(IncidentLink.objects.filter(incident_id=incident_id, waits=True, closed_by_incident_at__isnull=True)
                .order_by("pk").values_list("pk", flat=True)[:chunk])


def closing_chunk_claim(incident_id: int, link_ids: list[int]) -> tuple[Incident, list[IncidentLink]]:
    """Lock the links of ``link_ids`` not yet closed by the incident, inside the caller's transaction
    (a link another run has closed meanwhile is left out)."""
    incident = Incident.objects.get(pk=incident_id)
    links = list(IncidentLink.objects.select_for_update()
                 .filter(pk__in=link_ids, incident_id=incident_id, waits=True, closed_by_incident_at__isnull=True).order_by("pk"))
    return incident, links


def closing_chunk_done(incident_id: int, link_ids: list[int], *, now: datetime) -> None:
    """Mark the links closed by the incident (the once-only mark) and count the incident's progress."""
    IncidentLink.objects.filter(pk__in=link_ids).update(closed_by_incident_at=now)
    Incident.objects.filter(pk=incident_id).update(resolve_done=F("resolve_done") + len(link_ids))


def closing_finish(incident_id: int, *, now: datetime) -> None:
    Incident.objects.filter(pk=incident_id, resolved_at__isnull=True).update(resolved_at=now)


# ---- deflection and suggestions ---------------------------------------------------------------


def deflection_record(*, incidents: list[Incident], source: str, query: dict, now: datetime) -> int:
    """Each announcement given before a complaint was written is a deflection of its incident."""
    Deflection.objects.bulk_create([Deflection(incident=i, source=source, query=query, at=now) for i in incidents])
    return len(incidents)


def suggestion_dismiss(*, suggestion: BurstSuggestion, by: User | None, now: datetime) -> BurstSuggestion:
    """Dismiss a burst suggestion: it does not return for the same window (its key stays)."""
    _manage(by)
    with transaction.atomic():
        current = BurstSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if current.state != SuggestionState.OPEN:
            raise Conflict("incident.suggestion_decided")
        current.state, current.decided_at, current.decided_by = SuggestionState.DISMISSED, now, by
        current.save(update_fields=["state", "decided_at", "decided_by"])
    return current


def incident_link_confirm(*, incident: Incident, complaint: Complaint, by: User | None, now: datetime) -> IncidentLink:
    """A handler confirms a low-score link (one click): an event; the link is then a confirmed one."""
    if by is not None:
        permission_require(by, Permission.COMPLAINT_HANDLE)
    with transaction.atomic():
        link = IncidentLink.objects.select_for_update().filter(incident=incident, complaint_id=complaint.pk).first()
        if link is None:
            raise FieldError("complaint_id", "incident.not_linked", number=complaint.number)
        if link.exception == "low_score":
            link.exception = "confirmed"
            link.save(update_fields=["exception"])
        complaint_event_record(
            complaint_id=complaint.pk, kind=EventKind.INCIDENT_LINKED, by=by, now=now,
            incident={"id": incident.pk, "title": incident.title}, how=link.how, score=link.score,
            reasons=link.reasons, waits=link.waits, exception=link.exception, reason="confirmed", confirmed=True,
        )
    return link
