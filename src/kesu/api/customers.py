from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import not_found_body
from kesu.api.pagination import page_slice
from kesu.api.schemas import CustomerOut, CustomerPage, ErrorOut, TextIn
from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.customers.selectors import customer_get, customer_search
from kesu.privacy.actions import access_record
from kesu.privacy.models import AccessAction
from kesu.privacy.policy import Viewer, customer_body_mask

router = Router(tags=["customers"])


class SearchParams(TextIn):
    q: str = ""
    page: int = 1
    page_size: int = 25


def customer_dict(customer) -> dict:
    return {
        "id": customer.pk,
        "name": customer.name,
        "tier": customer.tier,
        "region": customer.region,
        "created_at": customer.created_at,
        "complaint_count": customer.complaint_count,
        "identities": [{"kind": i.kind, "value": i.value} for i in customer.identities.all()],
    }


@router.get("", response=CustomerPage)
def customer_search_view(request: HttpRequest, params: Query[SearchParams]):
    permission_require(request, Permission.CUSTOMER_READ)
    result = page_slice(customer_search(q=params.q), page=params.page, page_size=params.page_size)
    viewer = Viewer(request.auth)
    viewer.customers_prefetch([c.pk for c in result["items"]])
    result["items"] = [
        customer_dict(c) if viewer.full_for_customer(c.pk) else customer_body_mask(customer_dict(c))
        for c in result["items"]
    ]
    if params.q:
        access_record(user=request.auth, action=AccessAction.CUSTOMER_SEARCH, now=clock_now(),
                      object_type="customer", reason=f"{result['count']} found", request=request)
    return result


@router.get("/{int:customer_id}", response={200: CustomerOut, 404: ErrorOut})
def customer_detail_view(request: HttpRequest, customer_id: int):
    permission_require(request, Permission.CUSTOMER_READ)
    customer = customer_get(customer_id=customer_id)
    if customer is None:
        return HttpStatus(404, not_found_body("customer", customer_id))
    access_record(user=request.auth, action=AccessAction.CUSTOMER_VIEW, now=clock_now(), object_type="customer",
                  object_id=customer.pk, request=request)
    body = customer_dict(customer)
    return HttpStatus(200, body if Viewer(request.auth).full_for_customer(customer.pk) else customer_body_mask(body))
