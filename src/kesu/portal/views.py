"""The public pages of the customer portal (no login). Each view parses, calls one action or
selector, and renders.

Every portal page is private to whoever holds it: never cached, never indexed, and the pages that
carry a tracking token send no referrer, so the token cannot leak to another site. Because a
``no-referrer`` page makes browsers send ``Origin: null`` with its form posts (which Django's CSRF
check refuses), the tracking page's form is exempt from the CSRF check: the unguessable token in
its URL already proves the request comes from the holder of the link, which is what a CSRF token
proves. The complaint form, which has no token, keeps the CSRF check.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.incidents.actions import deflection_record
from kesu.incidents.models import Source
from kesu.incidents.selectors import incidents_public, portal_match
from kesu.portal.actions import (
    RateLimited,
    client_address,
    portal_complaint_submit,
    portal_message_add,
    tracking_link_seen,
)
from kesu.portal.forms import ComplaintForm, MessageForm
from kesu.portal.selectors import portal_categories, tracking_find, tracking_view


def _private(response: HttpResponse, *, token: bool = False) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if token:
        response["Referrer-Policy"] = "no-referrer"
    return response


def _address(request: HttpRequest) -> str:
    """The sender's network address: REMOTE_ADDR, or behind a trusted proxy (KESU_TRUSTED_PROXIES)
    the client it names in X-Forwarded-For. Anyone else's forwarded-for header is ignored."""
    return client_address(
        remote_addr=request.META.get("REMOTE_ADDR", "") or "",
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", "") or "",
        trusted_proxies=settings.KESU_TRUSTED_PROXIES,
    )


def _form_page(request: HttpRequest, form: ComplaintForm, *, status: int = 200, limited: str = "",
               known_incident=None) -> HttpResponse:
    context = {"form": form, "limited": limited, "incidents": incidents_public(), "known_incident": known_incident}
    return _private(render(request, "portal/complaint_form.html", context, status=status))


@require_http_methods(["GET", "POST"])
def complaint_form_view(request: HttpRequest) -> HttpResponse:
    categories = portal_categories()
    if request.method == "GET":
        return _form_page(request, ComplaintForm(categories=categories))
    form = ComplaintForm(request.POST, request.FILES, categories=categories)
    if not form.is_valid():  # only a file the browser could not send cleanly gets here
        return _form_page(request, form, status=422)
    if not request.POST.get("file_anyway"):
        # a known incident explains it: say so before filing (filing anyway is allowed, and linked)
        data = form.cleaned_data
        known = portal_match(text=data.get("content", ""), phone=data.get("phone", ""), email=data.get("email", ""))
        if known is not None:
            deflection_record(incidents=[known], source=Source.PORTAL, query={"portal": True}, now=clock_now())
            return _form_page(request, form, known_incident=known)
    try:
        submitted = portal_complaint_submit(
            form=form.submission(), upload=form.upload(), address=_address(request), now=clock_now()
        )
    except RateLimited as error:
        message = _(
            "You have sent %(limit)s complaints within the last hour, the most we accept from one connection. "
            "Please try again in %(minutes)s minutes, or call us."
        ) % {"limit": error.limit, "minutes": error.minutes}
        response = _form_page(request, form, status=429, limited=message)
        response["Retry-After"] = str(int(error.retry_after.total_seconds()) + 1)
        return response
    except FieldError as error:
        form.add_domain_error(error)
        return _form_page(request, form, status=422)
    link = request.build_absolute_uri(reverse("portal:tracking", args=[submitted.token]))
    # switching the language from here leads to the tracking page, so the link is not lost
    page = render(request, "portal/submitted.html", {"complaint": submitted.complaint, "link": link,
                                                      "lang_next": reverse("portal:tracking", args=[submitted.token])})
    return _private(page, token=True)


def _not_found(request: HttpRequest) -> HttpResponse:
    """One page for every token that opens nothing, whatever the reason."""
    page = render(request, "portal/not_found.html", {"lang_next": reverse("portal:complaint_form")}, status=404)
    return _private(page, token=True)


def _tracking_page(request, link, *, form: MessageForm | None = None, status: int = 200) -> HttpResponse:
    view = tracking_view(link.complaint, now=clock_now())
    page = render(request, "portal/tracking.html", {"view": view, "form": form or MessageForm()}, status=status)
    return _private(page, token=True)


@csrf_exempt  # the token in the URL is the proof (see the module's docstring)
@require_http_methods(["GET", "POST"])
def tracking_page_view(request: HttpRequest, token: str) -> HttpResponse:
    link = tracking_find(token)
    if link is None:
        return _not_found(request)
    now = clock_now()
    if request.method == "GET":
        tracking_link_seen(link=link, now=now)
        return _tracking_page(request, link)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _tracking_page(request, link, form=form, status=422)
    try:
        portal_message_add(complaint=link.complaint, text=form.cleaned_data["text"], upload=form.upload(), now=now)
    except RateLimited as error:
        form.add_error(None, _(
            "You have added information %(limit)s times within the last hour. Please try again in %(minutes)s "
            "minutes, or call us."
        ) % {"limit": error.limit, "minutes": error.minutes})
        response = _tracking_page(request, link, form=form, status=429)
        response["Retry-After"] = str(int(error.retry_after.total_seconds()) + 1)
        return response
    except FieldError as error:
        form.add_domain_error(error)
        return _tracking_page(request, link, form=form, status=422)
    messages.success(request, _("Thank you. We have added your information to the complaint."))
    return _private(HttpResponseRedirect(request.path), token=True)


@require_GET
def language_view(request: HttpRequest) -> HttpResponse:
    """Switch the portal's language with a plain link (a form post from a no-referrer page would
    carry ``Origin: null``). Setting a language cookie is harmless, so a GET is fine here."""
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("portal:complaint_form")
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return _private(response, token=True)
