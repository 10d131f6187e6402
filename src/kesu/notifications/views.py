"""The notifications pages: the list, marking read, the bell's refresh, delivery settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.notifications.actions import (
    contact_point_set,
    notification_read,
    notifications_read_all,
    sms_configured,
)
from kesu.notifications.forms import ContactSettingsForm
from kesu.notifications.selectors import contact_point_get, notification_get, notification_list, unread_count

PAGE_SIZE = 50
STOP_POLLING = 286  # htmx stops an ``every`` trigger on this status


@login_required
@require_GET
def notification_list_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_list(user=request.user, unread=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread_only": unread_only, "unread": unread_count(user=request.user)}
    return render(request, "notifications/notification_list.html", context)


@never_cache
@require_GET
def bell_view(request: HttpRequest) -> HttpResponse:
    """The bell alone, polled by htmx every minute. Signed out: stop polling (no login page in the bell)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    return render(request, "notifications/bell_refresh.html")


def _back(request: HttpRequest):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = notification_get(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404(_("No such notification."))
    notification_read(notification=notification, by=request.user, now=clock_now())
    if request.headers.get("HX-Request") == "true":
        # the row as read, and the bell's new count out of band
        response = render(request, "notifications/_notification.html", {"notification": notification, "oob": True})
        patch_vary_headers(response, ["HX-Request"])
        return response
    return _back(request)


@login_required
@require_POST
def notifications_read_all_view(request: HttpRequest) -> HttpResponse:
    count = notifications_read_all(user=request.user, now=clock_now())
    if count:
        messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def contact_settings_view(request: HttpRequest) -> HttpResponse:
    contact = contact_point_get(user=request.user)
    context = {"sms_configured": sms_configured()}
    if request.method == "GET":
        initial = {
            "phone": contact.phone if contact else "",
            "email_enabled": contact.email_enabled if contact else True,
            "sms_enabled": contact.sms_enabled if contact else True,
        }
        form = ContactSettingsForm(initial=initial)
        return render(request, "notifications/contact_settings.html", {**context, "form": form})
    form = ContactSettingsForm(request.POST)
    if form.is_valid():
        try:
            contact_point_set(user=request.user, now=clock_now(), **form.cleaned_data)
        except FieldError:  # the only field the action checks is the number
            form.add_error("phone", _("Enter 5 to 19 digits, optionally starting with +."))
        else:
            messages.success(request, _("Delivery settings saved."))
            return redirect("notifications:settings")
    return render(request, "notifications/contact_settings.html", {**context, "form": form}, status=422)
