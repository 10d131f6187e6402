"""The solution library pages: search and the top list, an article with its versions and the
"was this helpful" buttons, and the managers' create / edit forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.complaints.models import Category
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.knowledge.actions import article_feedback, article_save, article_used
from kesu.knowledge.forms import ArticleForm
from kesu.knowledge.models import Article
from kesu.knowledge.search import article_search
from kesu.knowledge.selectors import article_detail, articles_top
from kesu.web.errors import form_errors
from kesu.web.responses import forbidden, htmx_partial

RESULTS_MAX = 50
TOP_N = 20


def _manages(user) -> bool:
    return user.can(Permission.KNOWLEDGE_MANAGE) or (user.is_active and user.is_superuser)


@login_required
@require_GET
def article_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Permission.COMPLAINT_READ):
        return forbidden(request)
    query = request.GET.get("q", "").strip()
    code = request.GET.get("category", "")
    categories = list(Category.objects.filter(is_active=True).select_related("parent"))
    category = next((c for c in categories if c.code == code), None)
    published_only = not _manages(request.user)
    if query:
        articles = article_search(query=query, limit=RESULTS_MAX, category=category, published_only=published_only)
    else:
        articles = articles_top(limit=TOP_N, category=category, published_only=published_only)
    context = {"articles": articles, "query": query, "category": category, "categories": categories,
               "unknown_category": bool(code) and category is None, "manages": not published_only}
    template = "knowledge/_results.html" if htmx_partial(request) else "knowledge/article_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _article_or_404(request: HttpRequest, article_id: int) -> Article:
    article = article_detail(article_id, published_only=not _manages(request.user))
    if article is None:
        raise Http404(_("No such article."))
    return article


@login_required
@require_GET
def article_detail_view(request: HttpRequest, article_id: int) -> HttpResponse:
    if not request.user.can(Permission.COMPLAINT_READ):
        return forbidden(request)
    article = _article_or_404(request, article_id)
    return render(request, "knowledge/article_detail.html", {
        "article": article, "manages": _manages(request.user),
        "answered": str(article.pk) in request.session.get("library_feedback", {}),
    })


@login_required
@require_POST
def article_feedback_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """One "was this helpful" answer per person and article in a session; the counts come back."""
    if not request.user.can(Permission.COMPLAINT_READ):
        return forbidden(request)
    article = _article_or_404(request, article_id)
    given = request.session.get("library_feedback", {})
    if str(article.pk) not in given:
        helpful = request.POST.get("helpful") == "yes"
        article_feedback(article=article, helpful=helpful, by=request.user, now=clock_now())
        request.session["library_feedback"] = {**given, str(article.pk): helpful}
    article.refresh_from_db(fields=["use_count", "helpful_count", "not_helpful_count"])
    if htmx_partial(request):
        return render(request, "knowledge/_feedback.html", {"article": article, "answered": True})
    messages.success(request, _("Thank you for your feedback."))
    return redirect("knowledge:detail", article_id=article.pk)


@login_required
@require_POST
def article_used_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """The handler used the article (it counts towards the top list), once per person and article in a
    session, like the helpful answer; only the roles that handle complaints use articles."""
    if not request.user.can(Permission.COMPLAINT_HANDLE):
        return forbidden(request)
    article = _article_or_404(request, article_id)
    used = request.session.get("library_used", [])
    if str(article.pk) not in used:
        article_used(article=article, by=request.user, now=clock_now())
        request.session["library_used"] = [*used, str(article.pk)]
    article.refresh_from_db(fields=["use_count", "helpful_count", "not_helpful_count"])
    if htmx_partial(request):
        return render(request, "knowledge/_used.html", {"article": article, "used": True})
    messages.success(request, _("Counted as used."))
    return redirect("knowledge:detail", article_id=article.pk)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit_view(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    if not _manages(request.user):
        return forbidden(request, _("Only the management layer may edit the solution library."))
    article = _article_or_404(request, article_id) if article_id else None
    if request.method == "GET":
        form = ArticleForm.for_article(article) if article else ArticleForm()
        return render(request, "knowledge/article_form.html", {"form": form, "article": article})
    form = ArticleForm(request.POST)
    with form_errors(form, lambda: render(request, "knowledge/article_form.html", {"form": form, "article": article})):
        saved = article_save(article=article, by=request.user, now=clock_now(), **form.article_fields())
    messages.success(request, _("Saved as version %(version)s.") % {"version": saved.version})
    return redirect("knowledge:detail", article_id=saved.pk)


@login_required
@require_POST
def article_status_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """Publish or take back to draft (a new version, like every save)."""
    if not _manages(request.user):
        return forbidden(request, _("Only the management layer may edit the solution library."))
    article = _article_or_404(request, article_id)
    try:
        saved = article_save(
            article=article, by=request.user, now=clock_now(), title=article.title, body=article.body,
            steps=article.steps, category=article.category, tags=article.tags, products=article.products,
            public=article.public, status=request.POST.get("status", ""),
        )
    except FieldError as error:
        messages.error(request, error.message)
        return redirect("knowledge:detail", article_id=article.pk)
    messages.success(request, _("Now %(status)s (version %(version)s).") % {
        "status": saved.get_status_display(), "version": saved.version})
    return redirect("knowledge:detail", article_id=saved.pk)
