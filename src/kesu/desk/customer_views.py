"""The customer list (with search) and the customer's 360° page. Thin: parse, call a selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

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
    return render(request, "desk/customer_list.html", {"page": page, "q": q})


@login_required
@require_GET
def customer_detail_view(request: HttpRequest, customer_id: int) -> HttpResponse:
    if not request.user.can(Permission.CUSTOMER_READ):
        return forbidden(request)
    profile = customer_profile(customer_id=customer_id, page=request.GET.get("page"))
    if profile is None:
        raise Http404(_("No such customer."))
    return render(request, "desk/customer_detail.html", {"profile": profile, "customer": profile.customer})
