"""The customer list (with search) and the customer's 360° page. Thin: parse, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.desk.customer_page import customer_list, customer_profile
from kesu.web.responses import forbidden


@login_required
@require_GET
def customer_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.CUSTOMER_READ):
        return forbidden(request)
    q = request.GET.get("q", "").strip()[:128]
    page = customer_list(q=q, page=request.GET.get("page"))
    from kesu.privacy.pages import customer_rows_mask
    from kesu.privacy.policy import Viewer

    customer_rows_mask(Viewer(request.user), page.object_list)
    if q:
        _logged(request, "customer_search", "")
    return render(request, "desk/customer_list.html", {"page": page, "q": q})


@login_required
@require_GET
def customer_detail_view(request: HttpRequest, customer_id: int) -> HttpResponse:
    if not request.user.can(Permission.CUSTOMER_READ):
        return forbidden(request)
    profile = customer_profile(customer_id=customer_id, page=request.GET.get("page"))
    if profile is None:
        raise Http404(_("No such customer."))
    from kesu.privacy.pages import page_mask
    from kesu.privacy.policy import Viewer

    customer = profile.customer
    full = Viewer(request.user).full_for_customer(customer.pk)
    _logged(request, "customer_view", customer.pk)
    response = render(request, "desk/customer_detail.html", {
        "profile": profile, "customer": customer, "pii_masked": not full,
        "can_reveal": not full and request.user.can(Permission.PRIVACY_REVEAL),
    })
    return page_mask(response, full=full, names=[customer.name] if customer.name else [])


def _logged(request: HttpRequest, action: str, object_id) -> None:
    from kesu.privacy.actions import access_record

    access_record(user=request.user, action=action, now=clock_now(), object_type="customer", object_id=object_id,
                  request=request)
