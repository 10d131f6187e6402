"""Erasure on request from the pages (PIPL Art. 47): four eyes.

An administrator or the data-protection officer files a request for one customer (by id, phone or
e-mail, with a reason); a *second* administrator approves it — the same anonymisation as
``kesu privacy erase`` runs, in the transaction that marks the request approved — or rejects it with
a reason. Whoever filed a request may never approve it. The access log keeps only the fact of the
erasure (``persons.person_erase``); the request keeps the customer's id, never the phone or e-mail
typed to find them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from kesu.core.errors import Conflict, FieldError, NotPermitted, permission_require, raise_not_permitted
from kesu.core.ids import row_id
from kesu.core.roles import Permission, Role
from kesu.privacy.models import ErasureRequest, ErasureStatus
from kesu.privacy.persons import customer_find, person_erase

REASON_MAX = 500
KINDS = ("id", "phone", "email")


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise FieldError(field, "privacy.erasure_reason_required")
    if len(reason) > REASON_MAX:
        raise FieldError(field, "field.too_long", limit=REASON_MAX, got=len(reason))
    return reason


def erasure_request_file(*, by: Any, kind: str, value: str, reason: str, now: datetime) -> ErasureRequest:
    """File a request to erase the customer found by ``kind`` (id, phone, email) = ``value``."""
    permission_require(by, Permission.PRIVACY_REQUESTS)
    if kind not in KINDS:
        raise FieldError("kind", "field.choice", choices=", ".join(KINDS), got=str(kind)[:20])
    value = (value or "").strip()[:254]
    if not value:
        raise FieldError("value", "privacy.erasure_who_required")
    reason = _reason(reason)
    if kind == "id":
        customer_id = row_id(value)
        if customer_id is None:
            raise FieldError("value", "privacy.no_customer")
        customer = customer_find(customer_id=customer_id)
    else:
        try:
            customer = customer_find(**{kind: value})
        except (ValueError, FieldError) as error:  # a malformed phone or address finds nobody
            raise FieldError("value", "privacy.no_customer") from error
    with transaction.atomic():
        if (
            ErasureRequest.objects.select_for_update()
            .filter(customer=customer, status=ErasureStatus.PENDING)
            .exists()
        ):
            raise FieldError("value", "privacy.erasure_pending", customer=customer.pk)
        return ErasureRequest.objects.create(
            customer=customer, reason=reason, requested_by=by, requested_at=now
        )


def _decider_check(by: Any, request: ErasureRequest, *, approving: bool) -> None:
    if by is None or not by.can(Permission.PRIVACY_REQUESTS) or by.role != Role.ADMIN:
        raise_not_permitted(by, "privacy.erasure_decide")
    if approving and request.requested_by_id == by.pk:
        raise NotPermitted("privacy.erasure_own")


def _pending(request_id: int) -> ErasureRequest:
    request = ErasureRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise FieldError("request", "privacy.erasure_not_found", id=request_id)
    return request


def erasure_request_approve(*, request_id: int, by: Any, now: datetime, reason: str = "") -> dict[str, int]:
    """A second administrator approves: the customer is erased (irreversible) and the request marked
    approved, both or neither."""
    request = _pending(request_id)
    _decider_check(by, request, approving=True)
    note = (reason or "").strip()[:REASON_MAX]

    def mark() -> None:
        # the status is checked and changed in the erasure's transaction: two approvals at once
        # erase once, the second is refused and rolls back
        done = ErasureRequest.objects.filter(pk=request.pk, status=ErasureStatus.PENDING).update(
            status=ErasureStatus.APPROVED, decided_by=by, decided_at=now, decision_reason=note
        )
        if not done:
            raise Conflict("privacy.erasure_decided")

    if request.status != ErasureStatus.PENDING:
        raise Conflict("privacy.erasure_decided")
    return person_erase(customer=request.customer, by=by, now=now, within=mark)


def erasure_request_reject(*, request_id: int, by: Any, now: datetime, reason: str) -> ErasureRequest:
    """An administrator rejects the request, with a reason; nothing is erased."""
    request = _pending(request_id)
    _decider_check(by, request, approving=False)
    reason = _reason(reason)
    done = ErasureRequest.objects.filter(pk=request.pk, status=ErasureStatus.PENDING).update(
        status=ErasureStatus.REJECTED, decided_by=by, decided_at=now, decision_reason=reason
    )
    if not done:
        raise Conflict("privacy.erasure_decided")
    request.refresh_from_db()
    return request
