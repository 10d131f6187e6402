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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.core.clock import clock_now
from kesu.core.errors import Conflict, FieldError
from kesu.incidents.actions import deflection_record
from kesu.incidents.models import Source
from kesu.incidents.selectors import incident_regions, incidents_public, portal_match
from kesu.portal.actions import (
    RateLimited,
    client_address,
    portal_complaint_submit,
    portal_lookup_request,
    portal_lookup_verify,
    portal_message_add,
    portal_region,
    portal_resolution_answer,
    tracking_link_seen,
)
from kesu.portal.forms import CodeForm, ComplaintForm, LookupForm, MessageForm
from kesu.portal.selectors import portal_categories, tracking_find, tracking_view
from kesu.web.errors import checks_its_path, form_errors

RECEIPT_KEY = "portal_receipt"
LOOKUP_KEY = "portal_lookup"


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
    context = {"form": form, "limited": limited, "incidents": incidents_public(), "known_incident": known_incident,
               "regions": incident_regions()}
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
        try:
            region = portal_region(province=data.get("province", ""), city=data.get("city", ""),
                                   district=data.get("district", ""))
        except FieldError:  # named when the complaint is filed
            region = ""
        known = portal_match(text=data.get("content", ""), phone=data.get("phone", ""), email=data.get("email", ""),
                             region=region)
        if known is not None:
            deflection_record(incidents=[known], source=Source.PORTAL, query={"portal": True}, now=clock_now())
            return _form_page(request, form, known_incident=known)
    try:
        with form_errors(form, lambda: _form_page(request, form)):
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
    # post / redirect / get: the receipt is a page of its own, so reloading it files nothing again.
    # The raw token exists only here (a digest is stored); the session keeps it for the receipt.
    request.session[RECEIPT_KEY] = {"number": submitted.complaint.number, "token": submitted.token}
    return _private(HttpResponseRedirect(reverse("portal:received"), status=303), token=True)


@require_GET
def received_view(request: HttpRequest) -> HttpResponse:
    """The receipt of the complaint this browser just sent: its number and private link."""
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt:
        return _private(HttpResponseRedirect(reverse("portal:complaint_form")))
    tracking = reverse("portal:tracking", args=[receipt["token"]])
    # switching the language from here leads to the tracking page, so the link is not lost
    page = render(request, "portal/submitted.html", {
        "number": receipt["number"], "link": request.build_absolute_uri(tracking), "lang_next": tracking,
        "found": receipt.get("found", False),
    })
    return _private(page, token=True)


def _not_found(request: HttpRequest) -> HttpResponse:
    """One page for every token that opens nothing, whatever the reason."""
    page = render(request, "portal/not_found.html", {"lang_next": reverse("portal:complaint_form")}, status=404)
    return _private(page, token=True)


def _tracking_page(
    request, link, *, form: MessageForm | None = None, status: int = 200, verdict_error: str = ""
) -> HttpResponse:
    view = tracking_view(link.complaint, now=clock_now())
    page = render(request, "portal/tracking.html",
                  {"view": view, "form": form or MessageForm(), "verdict_error": verdict_error}, status=status)
    return _private(page, token=True)


@checks_its_path  # tracking_find accepts only the token's shape: a NUL never reaches the database
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
        with form_errors(form, lambda: _tracking_page(request, link, form=form)):
            portal_message_add(complaint=link.complaint, text=form.cleaned_data["text"], upload=form.upload(), now=now)
    except RateLimited as error:
        form.add_error(None, _(
            "You have added information %(limit)s times within the last hour. Please try again in %(minutes)s "
            "minutes, or call us."
        ) % {"limit": error.limit, "minutes": error.minutes})
        response = _tracking_page(request, link, form=form, status=429)
        response["Retry-After"] = str(int(error.retry_after.total_seconds()) + 1)
        return response
    messages.success(request, _("Thank you. We have added your information to the complaint."))
    return _private(HttpResponseRedirect(request.path), token=True)


@checks_its_path
@csrf_exempt  # the token in the URL is the proof (see the module's docstring)
@require_POST
def verdict_view(request: HttpRequest, token: str) -> HttpResponse:
    """The customer accepts the resolution ("solved" = yes) or says it is not solved ("no")."""
    link = tracking_find(token)
    if link is None:
        return _not_found(request)
    solved = request.POST.get("solved", "")
    if solved not in ("yes", "no"):
        return _tracking_page(request, link, status=422, verdict_error=_("Choose whether the problem is solved."))
    try:
        portal_resolution_answer(complaint=link.complaint, solved=solved == "yes",
                                 text=request.POST.get("text", ""), now=clock_now())
    except (Conflict, FieldError) as error:
        messages.error(request, str(error.message))
        return _private(HttpResponseRedirect(reverse("portal:tracking", args=[token])), token=True)
    if solved == "yes":
        messages.success(request, _("Thank you for confirming that the problem is solved."))
    else:
        messages.success(request, _("We are sorry. Your complaint is reopened and goes back to the person who handled it."))
    return _private(HttpResponseRedirect(reverse("portal:tracking", args=[token])), token=True)


def _lookup_page(request, form, *, status: int = 200, limited: str = "") -> HttpResponse:
    return _private(render(request, "portal/find.html", {"form": form, "limited": limited}, status=status))


@require_http_methods(["GET", "POST"])
def find_view(request: HttpRequest) -> HttpResponse:
    """A customer who lost the link: the complaint's number and their phone or e-mail."""
    if request.method == "GET":
        return _lookup_page(request, LookupForm())
    form = LookupForm(request.POST)
    form.is_valid()
    try:
        with form_errors(form, lambda: _lookup_page(request, form)):
            lookup = portal_lookup_request(number=form.cleaned_data.get("number", ""),
                                           contact=form.cleaned_data.get("contact", ""),
                                           address=_address(request), now=clock_now())
    except RateLimited as error:
        response = _lookup_page(request, form, status=429, limited=error.message)
        response["Retry-After"] = str(int(error.retry_after.total_seconds()) + 1)
        return response
    request.session[LOOKUP_KEY] = {"id": lookup.pk, "sent_to": lookup.sent_to}
    return _private(HttpResponseRedirect(reverse("portal:find_code"), status=303))


@require_http_methods(["GET", "POST"])
def find_code_view(request: HttpRequest) -> HttpResponse:
    """The one-time code; right, it opens a new private link (the old ones keep working)."""
    lookup = request.session.get(LOOKUP_KEY)
    if not lookup:
        return _private(HttpResponseRedirect(reverse("portal:find")))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            found = portal_lookup_verify(lookup_id=lookup["id"], code=form.cleaned_data.get("code", ""),
                                         now=clock_now())
        except FieldError as error:
            form.add_domain_error(error)
            status = 422
        else:
            del request.session[LOOKUP_KEY]
            request.session[RECEIPT_KEY] = {"number": found.complaint.number, "token": found.token, "found": True}
            return _private(HttpResponseRedirect(reverse("portal:received"), status=303), token=True)
    page = render(request, "portal/find_code.html", {"form": form, "sent_to": lookup["sent_to"]}, status=status)
    return _private(page)


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
