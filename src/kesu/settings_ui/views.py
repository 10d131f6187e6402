"""The settings area's pages. Thin: check the role, bind the kind's form, call the settings action
(which calls the owning app's action and records the change), render; refusals as the API words them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kesu.core.clock import clock_now
from kesu.core.errors import DomainError, FieldError
from kesu.core.roles import Permission
from kesu.settings_ui.actions import (
    calendar_day_change,
    calendar_holidays_import,
    setting_delete,
    setting_save,
    setting_toggle,
)
from kesu.settings_ui.forms import CalendarDayForm, CalendarImportForm
from kesu.settings_ui.kinds import KINDS, Kind, kind_get, singleton_row
from kesu.settings_ui.selectors import calendar_days, coverage_warnings, recent_changes, setting_history
from kesu.web.responses import forbidden


def _refused(request: HttpRequest) -> HttpResponse | None:
    if not request.user.can(Permission.SETTINGS_MANAGE):
        return forbidden(request, _("Only the management layer may change the settings."))
    return None


def _kind(slug: str) -> Kind:
    kind = kind_get(slug)
    if kind is None:
        raise Http404(slug)
    return kind


def _row(kind: Kind, pk: int | None) -> Any:
    if kind.singleton:
        return singleton_row(kind)
    return get_object_or_404(kind.model, pk=pk) if pk is not None else None


@login_required
@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    if refused := _refused(request):
        return refused
    kinds = [(kind, None if kind.singleton else kind.model.objects.count()) for kind in KINDS.values()]
    return render(
        request,
        "settings_ui/index.html",
        {
            "kinds": kinds,
            "recent": recent_changes(),
            "warnings": coverage_warnings(now=clock_now()),
            "all_kinds": KINDS,
        },
    )


@login_required
@require_GET
def list_view(request: HttpRequest, kind: str) -> HttpResponse:
    if refused := _refused(request):
        return refused
    spec = _kind(kind)
    if spec.singleton:
        return redirect("settings_ui:singleton", kind=spec.slug)
    toggle = spec.form.toggle
    rows = [
        (
            row,
            [(column.value(row), column.data) for column in spec.columns],
            getattr(row, toggle) if toggle else True,
        )
        for row in spec.rows()
    ]
    warnings = coverage_warnings(now=clock_now()) if spec.slug == "calendars" else []
    return render(
        request,
        "settings_ui/list.html",
        {
            "kind": spec,
            "rows": rows,
            "warnings": warnings,
            "toggle": toggle,
            "may_create": spec.may_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    if refused := _refused(request):
        return refused
    spec = _kind(kind)
    row = _row(spec, pk)
    if row is None and not spec.may_create(request.user):
        return forbidden(request, _("Only an administrator may add one: it says where kesu connects."))
    status = 200
    if request.method == "POST":
        form = spec.form(request.POST, instance=row, user=request.user)
        if form.is_valid():
            try:
                saved = setting_save(
                    kind=spec, row=row, values=form.values(), by=request.user, now=clock_now()
                )
            except FieldError as error:
                form.add_domain_error(error)
            except DomainError as error:
                form.add_refusal(error)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": spec.name_of(saved)})
                if spec.singleton:
                    return redirect("settings_ui:singleton", kind=spec.slug)
                return redirect("settings_ui:list", kind=spec.slug)
        status = 422
    else:
        form = spec.form(initial=spec.form.initial_for(row), instance=row, user=request.user)
    context = {"kind": spec, "row": row, "form": form}
    if spec.slug == "calendars" and row is not None:
        context["warnings"] = coverage_warnings(now=clock_now(), calendar=row.name)
        context["import_form"] = CalendarImportForm(initial={"country": row.country or "CN"})
        context["day_form"] = CalendarDayForm()
        context["days"] = calendar_days(row, now=clock_now())
    return render(request, "settings_ui/edit.html", context, status=status)


@login_required
@require_POST
def toggle_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if refused := _refused(request):
        return refused
    spec = _kind(kind)
    if spec.form.toggle is None:
        raise Http404(kind)
    row = _row(spec, pk)
    try:
        saved = setting_toggle(kind=spec, row=row, by=request.user, now=clock_now())
    except DomainError as error:
        messages.error(request, str(error))
    else:
        active = getattr(saved, spec.form.toggle)
        messages.success(
            request,
            (_("Activated: %(name)s.") if active else _("Deactivated: %(name)s."))
            % {"name": spec.name_of(saved)},
        )
    return redirect("settings_ui:list", kind=spec.slug)


@login_required
@require_http_methods(["GET", "POST"])
def delete_view(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if refused := _refused(request):
        return refused
    spec = _kind(kind)
    if spec.delete is None:
        raise Http404(kind)
    row = _row(spec, pk)
    if request.method == "POST":
        try:
            setting_delete(kind=spec, row=row, by=request.user, now=clock_now())
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Deleted: %(name)s.") % {"name": spec.name_of(row)})
        return redirect("settings_ui:list", kind=spec.slug)
    return render(request, "settings_ui/delete.html", {"kind": spec, "row": row, "name": spec.name_of(row)})


@login_required
@require_GET
def history_view(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    if refused := _refused(request):
        return refused
    spec = _kind(kind)
    if spec.singleton:
        pk = singleton_row(spec).pk
    assert pk is not None
    row = spec.model.objects.filter(pk=pk).first()  # a deleted row keeps its history
    changes = setting_history(spec, pk)
    if row is None and not changes:
        raise Http404(kind)
    name = spec.name_of(row) if row is not None else changes[0][0].name
    return render(
        request, "settings_ui/history.html", {"kind": spec, "row": row, "name": name, "changes": changes}
    )


@login_required
@require_POST
def calendar_import_view(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _refused(request):
        return refused
    spec = _kind("calendars")
    row = _row(spec, pk)
    form = CalendarImportForm(request.POST)
    if form.is_valid():
        try:
            result = calendar_holidays_import(
                kind=spec,
                row=row,
                country=form.cleaned_data["country"].strip().upper(),
                year=form.cleaned_data["year"],
                by=request.user,
                now=clock_now(),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Imported %(year)s: %(holidays)s days off, %(workdays)s make-up working days.")
                % {"year": result.year, "holidays": result.holidays, "workdays": result.workdays},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("settings_ui:edit", kind="calendars", pk=row.pk)


@login_required
@require_POST
def calendar_day_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a holiday or make-up working day by hand, or clear one (``clear=1``)."""
    if refused := _refused(request):
        return refused
    spec = _kind("calendars")
    row = _row(spec, pk)
    form = CalendarDayForm(request.POST)
    clear = request.POST.get("clear") == "1"
    if clear:
        form.fields["kind"].required = False
    if form.is_valid():
        try:
            calendar_day_change(
                kind=spec,
                row=row,
                day=form.cleaned_data["date"],
                day_kind=None if clear else form.cleaned_data["kind"],
                name=form.cleaned_data.get("name") or "",
                by=request.user,
                now=clock_now(),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": form.cleaned_data["date"].isoformat()})
    else:
        for name, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request, f"{form.fields[name].label}: {error}" if name in form.fields else error
                )
    return redirect("settings_ui:edit", kind="calendars", pk=row.pk)
