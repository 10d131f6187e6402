"""The analytics pages: dashboard, KPIs and targets, the executive page, verification of
improvement measures. Thin: parse the period and scope, call the selectors, build the charts."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kesu.analytics import selectors
from kesu.analytics.kpis import KPIS
from kesu.analytics.messages import KPI_LABELS
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.core.roles import Permission
from kesu.core.storable import iso_day
from kesu.web.charts import Cell, Chart, Series, chart_xlsx_response, complaint_list_link
from kesu.web.responses import forbidden

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _today() -> date:
    from kesu.analytics.actions import centre_zone

    return clock_now().astimezone(centre_zone()).date()


def _scope(request: HttpRequest, *, groups: list[int] | None = None) -> tuple[selectors.Scope, dict, list[str]]:
    """The period (default: the last 90 days) and scope from the query; bad values are named.
    ``groups``: the only groups the person may see (a team lead's); the first is the default."""
    from kesu.analytics.queries import group_resolve, period_check
    from kesu.complaints.models import Category
    from kesu.core.models import Group

    errors: list[str] = []
    today = _today()

    def day(name: str, default: date) -> date:
        value = request.GET.get(name, "")
        if not value:
            return default
        try:
            return iso_day(value)
        except ValueError:
            errors.append(_("%(field)s: %(value)s is not a date like 2026-03-31") % {"field": name, "value": value})
            return default

    date_to = day("to", today)
    date_from = day("from", date_to - timedelta(days=89))
    try:
        period_check(date_from, date_to)
    except FieldError as error:
        errors.append(str(error))
        date_from, date_to = date_to - timedelta(days=89), date_to
    group = request.GET.get("group", "")
    try:
        group_id = group_resolve(group)
    except FieldError as error:
        errors.append(str(error))
        group, group_id = "", None
    if groups is not None and group_id not in groups:
        if group_id is not None:
            errors.append(_("You lead other groups; showing %(group)s.") % {
                "group": Group.objects.get(pk=groups[0]).name})
        group_id = groups[0]
        group = Group.objects.get(pk=group_id).code
    category = request.GET.get("category", "")
    category_id = Category.objects.filter(code=category).values_list("pk", flat=True).first() if category else None
    channel = request.GET.get("channel", "")
    params = {"from": date_from, "to": date_to, "group": group, "category": category, "channel": channel,
              "province": request.GET.get("province", "")[:64], "city": request.GET.get("city", "")[:64],
              "product": request.GET.get("product", "")[:128],
              "grain": request.GET.get("grain", "") or _grain_for(date_from, date_to),
              "grains": [("day", _("day")), ("week", _("week")), ("month", _("month"))]}
    return selectors.Scope(date_from, date_to, group_id, channel, category_id), params, errors


def _grain_for(date_from: date, date_to: date) -> str:
    """Day up to two months, week up to a year and a bit, else month (long tables cost more to draw
    than the rollups cost to read)."""
    days = (date_to - date_from).days
    return "day" if days <= 62 else "week" if days <= 400 else "month"


def _allowed(request: HttpRequest) -> bool:
    return request.user.can(Permission.ANALYTICS_READ)


def _lead_groups(request: HttpRequest) -> list[int] | None:
    """None: the person sees every group (analytics roles); else the groups they lead (maybe none)."""
    from kesu.analytics.queries import led_group_ids

    if request.user.can(Permission.ANALYTICS_READ):
        return None
    return led_group_ids(request.user)


def _labels():
    from kesu.complaints.models import Category, Channel, RootCause

    categories = {c.pk: c for c in Category.objects.all()}
    return categories, dict(Channel.choices), dict(RootCause.choices)


def dashboard_charts(scope: selectors.Scope, params: dict, *, now, only: set[str] | None = None) -> list[Chart]:
    categories, channels, causes = _labels()
    period = {"created_from": scope.date_from, "created_to": scope.date_to, "group": params["group"] or None,
              "channel": params["channel"] or None, "category": params["category"] or None}
    grain = params["grain"] if params["grain"] in ("day", "week", "month") else "day"
    def want(chart_id: str) -> bool:
        return only is None or chart_id in only

    trend = selectors.volume_trend(scope, grain=grain) if want("trend") else []
    by_category = selectors.mix(scope, "category_id") if want("categories") else []
    by_channel = selectors.mix(scope, "channel") if want("channels") else []
    pareto = selectors.pareto_categories(scope) if want("pareto") else []
    root = selectors.pareto_root_causes(scope) if want("root-causes") else []
    tags = selectors.pareto_tags(scope)[:20] if want("tags") else []
    grid = selectors.heat_map(scope) if want("heat") else [[0] * 24 for _ in range(7)]
    province, product = params.get("province", ""), params.get("product", "")
    city = params.get("city", "") if province else ""
    provinces = selectors.places(scope, province=province, city=city) if want("provinces") else []
    products = selectors.products(scope, product=product) if want("products") else []
    ages = selectors.age_groups(scope) if want("ages") else []
    backlog = selectors.backlog_series(scope) if want("backlog") else []
    if grain != "day":  # the backlog at the end of each week / month
        ends: dict[str, dict] = {}
        for row in backlog:
            ends[selectors._bucket(date.fromisoformat(row["day"]), grain).isoformat()] = row
        backlog = list(ends.values())
    ageing = selectors.ageing(scope, today=selectors._local_today(now)) if want("ageing") else []
    sla = selectors.sla_attainment(scope) if want("sla") else []

    def category_code(pk):
        return categories[pk].code if pk in categories else None

    def category_name(pk):
        return str(categories[pk]) if pk in categories else _("No category")

    def trend_link(period_start: str) -> str:
        start = date.fromisoformat(period_start)
        end = {"day": start, "week": start + timedelta(days=6)}.get(
            grain, (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
        return complaint_list_link(**{**period, "created_from": start, "created_to": min(end, scope.date_to)})

    charts = [
        Chart(id="trend", kind="line", title=_("Complaints per %(grain)s") % {"grain": _(grain)},
              categories=[row["period"] for row in trend],
              series=[Series(_("This period"), [row["created"] for row in trend],
                             links=[trend_link(row["period"]) for row in trend]),
                      Series(_("A year earlier"), [row["year_earlier"] for row in trend], style="muted")],
              category_label=_("Period")),
        Chart(id="pareto", kind="pareto", title=_("Top issues by category (Pareto)"),
              categories=[category_name(row["key"]) for row in pareto],
              series=[Series(_("Complaints"), [row["count"] for row in pareto],
                             links=[complaint_list_link(**{**period, "category": category_code(row["key"])})
                                    for row in pareto])],
              category_label=_("Category")),
        Chart(id="channels", kind="pie", title=_("Channel mix"),
              categories=[str(channels.get(row["key"], row["key"])) for row in by_channel],
              series=[Series(_("Complaints"), [row["created"] for row in by_channel],
                             links=[complaint_list_link(**{**period, "channel": row["key"]}) for row in by_channel])],
              category_label=_("Channel")),
        Chart(id="categories", kind="pie", title=_("Category mix"),
              categories=[category_name(row["key"]) for row in by_category],
              series=[Series(_("Complaints"), [row["created"] for row in by_category],
                             links=[complaint_list_link(**{**period, "category": category_code(row["key"])})
                                    for row in by_category])],
              category_label=_("Category")),
        Chart(id="heat", kind="heatmap", title=_("Weekday × hour"), categories=[f"{h:02d}" for h in range(24)],
              y_categories=[_(d) for d in WEEKDAYS],
              cells=[Cell(h, d, grid[d][h]) for d in range(7) for h in range(24)], category_label=_("Weekday")),
        Chart(id="root-causes", kind="pareto", title=_("Root causes of first resolutions (Pareto)"),
              categories=[str(causes.get(row["key"], row["key"] or _("Not given"))) for row in root],
              series=[Series(_("Resolutions"), [row["count"] for row in root],
                             links=[complaint_list_link(**{**period, "root_cause": row["key"]}) for row in root])],
              category_label=_("Root cause")),
        Chart(id="tags", kind="pareto", title=_("Top issues by tag (Pareto)"),
              categories=[row["key"] for row in tags],
              series=[Series(_("Complaints"), [row["count"] for row in tags],
                             links=[complaint_list_link(**{**period, "tag": row["key"]}) for row in tags])],
              category_label=_("Tag")),
        Chart(id="provinces", kind="hbar",
              title=(_("Districts of %(city)s") % {"city": province + city}) if city else
              (_("Cities of %(province)s") % {"province": province}) if province else _("By province"),
              categories=[row["key"] or _("Not given") for row in provinces[:15]],
              series=[Series(_("Complaints"), [row["created"] for row in provinces[:15]],
                             links=[complaint_list_link(**{**period, "region": province + city + row["key"] if province
                                                           and row["key"] != province else row["key"]})
                                    for row in provinces[:15]])],
              category_label=_("District") if city else _("City") if province else _("Province"), height="l"),
        Chart(id="products", kind="hbar",
              title=(_("Batches of %(product)s (supplier)") % {"product": product}) if product else _("By product"),
              categories=[(f"{row['key'] or _('None')} · {row.get('supplier') or '—'}" if product else
                           row["key"] or _("None")) for row in products[:15]],
              series=[Series(_("Complaints"), [row["created"] for row in products[:15]],
                             links=[complaint_list_link(**{**period, "product": product or row["key"]})
                                    for row in products[:15]])],
              category_label=_("Batch") if product else _("Product"), height="l"),
        Chart(id="ages", kind="bar", title=_("Customers' age groups"),
              categories=[row["key"] if row["key"] != "unknown" else _("Unknown") for row in ages],
              series=[Series(_("Complaints"), [row["created"] for row in ages])], category_label=_("Age group")),
        Chart(id="backlog", kind="area", title=_("Backlog (open at the end of the day)"),
              categories=[row["day"] for row in backlog], series=[Series(_("Open"), [row["open"] for row in backlog])],
              category_label=_("Day")),
        Chart(id="ageing", kind="bar", title=_("Open complaints by age"), categories=[row["key"] for row in ageing],
              series=[Series(_("Open"), [row["open"] for row in ageing])], category_label=_("Age")),
        Chart(id="sla", kind="bar", title=_("SLA attainment per node"), categories=[row["key"] for row in sla],
              series=[Series(_("Met"), [row["met"] for row in sla], stack="s"),
                      Series(_("Breached"), [row["breached"] for row in sla], stack="s")],
              category_label=_("Node")),
    ]
    return [chart for chart in charts if want(chart.id)]


@login_required
@selectors.reads_shared()
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """The dashboard; a team lead without an analytics role sees their own group(s) only."""
    groups = _lead_groups(request)
    if groups is not None and not groups:
        return forbidden(request, _("Your role has no analytics pages."))
    scope, params, errors = _scope(request, groups=groups)
    charts = dashboard_charts(scope, params, now=clock_now())
    from kesu.complaints.models import Category, Channel
    from kesu.core.models import Group

    drill = {"provinces": [row["key"] for row in selectors.places(scope)[:8]],
             "cities": [row["key"] for row in selectors.places(scope, province=params["province"])[:8]]
             if params["province"] else [],
             "products": [row["key"] for row in selectors.products(scope)[:8] if row["key"]]}
    return chart_xlsx_response(request, charts) or render(request, "analytics/dashboard.html", {
        "charts": charts, "params": params, "errors": errors, "kpis": _kpi_rows(scope), "drill": drill,
        "groups": Group.objects.order_by("code") if groups is None else Group.objects.filter(pk__in=groups),
        "categories": Category.objects.all(), "channels": Channel.choices,
    })


def _kpi_rows(scope: selectors.Scope) -> list[dict]:
    from kesu.analytics.kpis import kpis_compute

    kpis = kpis_compute(selectors.facts_counters(scope), selectors.targets_map())
    return [{"name": name, "label": KPI_LABELS[name], **kpi, "higher": KPIS[name].higher_is_better,
             "percent": KPIS[name].scale == 1} for name, kpi in kpis.items()]


@login_required
@require_http_methods(["GET", "POST"])
@selectors.reads_shared()
def kpis_view(request: HttpRequest) -> HttpResponse:
    """The KPIs against their targets; the decision layer sets targets and thresholds here."""
    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    form_errors: dict[str, str] = {}
    if request.method == "POST":
        if not request.user.can(Permission.KPI_TARGET_SET):
            return forbidden(request, _("Only the decision layer sets KPI targets."))
        from kesu.analytics.actions import kpi_target_set

        kpi = request.POST.get("kpi", "")
        try:
            values = {}
            for name in ("target", "amber", "red"):
                try:
                    values[name] = float(request.POST.get(name, ""))
                except ValueError:
                    raise FieldError(name, "field.required") from None
            kpi_target_set(kpi=kpi, by=request.user, now=clock_now(), **values)
        except FieldError as error:
            form_errors = {"kpi": kpi, "message": str(error)}
        else:
            messages.success(request, _("Target saved."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    scope, params, errors = _scope(request)
    rows = _kpi_rows(scope)
    chart = Chart(id="kpis", kind="hbar", title=_("KPIs against target"), categories=[str(r["label"]) for r in rows
                                                                                      if r["percent"]],
                  series=[Series(_("Value %"), [round(100 * r["value"], 1) if r["value"] is not None else None
                                                 for r in rows if r["percent"]]),
                          Series(_("Target %"), [round(100 * r["target"], 1) if r["target"] is not None else None
                                                  for r in rows if r["percent"]], style="muted")],
                  units=("%", ""), decimals=1, category_label=_("KPI"))
    return chart_xlsx_response(request, [chart]) or render(request, "analytics/kpis.html", {
        "rows": rows, "params": params, "errors": errors, "chart": chart, "form_errors": form_errors,
        "can_set": request.user.can(Permission.KPI_TARGET_SET),
    })


@login_required
@selectors.reads_shared()
def executive_view(request: HttpRequest) -> HttpResponse:
    """One screen for the decision layer: KPIs against target, the trend, the top 5 issues, open red-channel complaints."""
    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    from kesu.complaints.models import Complaint, Status

    scope, params, errors = _scope(request)
    params["grain"] = "week"
    charts = dashboard_charts(scope, params, now=clock_now(), only={"trend", "pareto"})
    # the open statuses written as the partial index complaint_open_newest's condition (equalities
    # joined by OR, in its order), so both planners read only the open complaints, never the history
    open_q = (Q(status=Status.NEW) | Q(status=Status.ASSIGNED) | Q(status=Status.IN_PROGRESS)
              | Q(status=Status.PENDING_CUSTOMER))
    red = (Complaint.objects.filter(open_q, red_channel=True).select_related("category")
           .order_by("created_at", "id")[:20])
    return chart_xlsx_response(request, charts) or render(request, "analytics/executive.html", {
        "charts": charts, "params": params, "errors": errors, "kpis": _kpi_rows(scope), "red": red,
    })


@login_required
def measures_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    from kesu.analytics.models import ImprovementMeasure

    return render(request, "analytics/measures.html", {"measures": ImprovementMeasure.objects.select_related("owner")})


@login_required
@require_http_methods(["GET", "POST"])
def measure_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    """One measure; "Verify" runs the test and shows the verdict."""
    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    from kesu.analytics.measures import measure_verify
    from kesu.analytics.models import ImprovementMeasure

    measure = get_object_or_404(ImprovementMeasure, pk=measure_id)
    result = measure_verify(measure, today=_today()) if request.method == "POST" else None
    return render(request, "analytics/measure.html", {"measure": measure, "result": result})


def _week(request: HttpRequest) -> tuple[date, date]:
    """The ISO week ``?week=2026-W47`` (default: the last whole week)."""
    value = request.GET.get("week", "")
    try:
        year, week = value.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        today = _today()
        monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_view(request: HttpRequest) -> HttpResponse:
    """The weekly handler scorecard: a handler sees their own; a team lead (``Group.lead``) the
    handlers of their groups; managers, analysts and the decision layer everyone; the management edits the weights."""
    from kesu.analytics.scorecard import COMPONENTS, scorecard, weights_current
    from kesu.core.roles import Role

    user = request.user
    sees_all = user.can(Permission.ANALYTICS_READ)
    led = [] if sees_all else _lead_groups(request) or []
    if not sees_all and not led and not user.can(Permission.COMPLAINT_HANDLE):
        return forbidden(request, _("Your role has no analytics pages."))
    if request.method == "POST":
        if not user.can(Permission.SCORECARD_MANAGE):
            return forbidden(request, _("Only the management edits the scorecard weights."))
        weights = weights_current()
        try:
            for name in (*COMPONENTS, "min_volume"):
                value = int(request.POST.get(name, ""))
                if not 0 <= value <= 100:
                    raise ValueError
                setattr(weights, name, value)
        except ValueError:
            messages.error(request, _("Weights are whole numbers from 0 to 100."))
        else:
            weights.updated_at = clock_now()
            weights.save()
            messages.success(request, _("Weights saved."))
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    monday, sunday = _week(request)
    data = scorecard(date_from=monday, date_to=sunday, handler_ids=None if sees_all else [user.pk],
                     group_ids=led or None)
    labels = [_("Closure timeliness"), _("Resolution quality"), _("Repeat complaints"), _("Praise")]
    chosen_name = request.GET.get("handler", "" if sees_all else user.username)
    chosen = next((h for h in data["handlers"] if h["user"] and h["user"].username == chosen_name), None)
    if chosen is None and data["handlers"]:
        chosen = data["handlers"][0]
    chart = None
    if chosen is not None:
        average = data["group_averages"].get(chosen["group_id"], {})
        chart = Chart(id="radar", kind="radar", title=_("%(handler)s against the group average") % {
                          "handler": chosen["user"] or chosen["handler_id"]},
                      categories=[str(label) for label in labels], maxima=[100],
                      series=[Series(str(chosen["user"]), [None if chosen["components"][k] is None else
                                                           round(100 * chosen["components"][k], 1) for k in COMPONENTS]),
                              Series(_("Group average"), [None if average.get(k) is None else round(100 * average[k], 1)
                                                          for k in COMPONENTS], style="muted")],
                      decimals=1, category_label=_("Component"))
    return chart_xlsx_response(request, [chart] if chart else []) or render(request, "analytics/scorecard.html", {
        "data": data, "chart": chart, "week": f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}",
        "monday": monday, "sunday": sunday, "components": COMPONENTS, "labels": labels,
        "can_edit": user.can(Permission.SCORECARD_MANAGE), "chosen": chosen, "Role": Role, "leads": bool(led),
    })


@login_required
def export_view(request: HttpRequest) -> HttpResponse:
    """The complaint list's current filter (the same query string) as CSV or XLSX, streamed."""
    from django.http import FileResponse, StreamingHttpResponse

    from kesu.analytics.exporting import csv_stream, xlsx_file
    from kesu.web.forms import ComplaintFilterForm

    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    filters = ComplaintFilterForm(request.GET, with_choices=False).filters()
    stamp = clock_now().strftime("%Y%m%d-%H%M")
    if request.GET.get("format") == "xlsx":
        path = xlsx_file(filters)
        handle = path.open("rb")
        path.unlink()  # the open handle keeps the data until the response is sent
        return FileResponse(handle, as_attachment=True, filename=f"complaints-{stamp}.xlsx")
    response = StreamingHttpResponse(csv_stream(filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reports_view(request: HttpRequest) -> HttpResponse:
    """The reports kept in the data folder; managers (and anyone with the analytics pages) subscribe."""
    from kesu.analytics.models import ReportSubscription
    from kesu.analytics.reports import KINDS, reports_list

    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind in KINDS:
            subscription = ReportSubscription.objects.filter(user=request.user, kind=kind)
            if subscription.exists():
                subscription.delete()
            else:
                ReportSubscription.objects.create(user=request.user, kind=kind)
        return redirect(request.path)
    mine = set(ReportSubscription.objects.filter(user=request.user).values_list("kind", flat=True))
    return render(request, "analytics/reports.html", {"reports": reports_list(), "kinds": KINDS, "mine": mine})


@login_required
def report_file_view(request: HttpRequest, kind: str, period: str, suffix: str) -> HttpResponse:
    from django.http import FileResponse, Http404

    from kesu.analytics.reports import KINDS, report_folder

    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    path = report_folder() / kind / f"{period}.{suffix}"
    if kind not in KINDS or suffix not in ("html", "xlsx") or "/" in period or not path.is_file():
        raise Http404(_("No such report."))
    if suffix == "html":
        return HttpResponse(path.read_text(encoding="utf-8"))
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


THEME_FIELDS = ("category", "product", "batch", "region", "keyword")


@login_required
@require_http_methods(["GET", "POST"])
def themes_view(request: HttpRequest) -> HttpResponse:
    """The saved themes (one's own and the shared ones); a new one from a filter and a period."""
    from django.db.models import Q

    from kesu.analytics.models import Theme

    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    error = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:120]
        filters = {f: request.POST.get(f, "").strip()[:128] for f in THEME_FIELDS if request.POST.get(f, "").strip()}
        try:
            date_from = iso_day(request.POST.get("from", ""))
            date_to = iso_day(request.POST.get("to", ""))
        except ValueError:
            error = _("from / to: enter dates like 2026-03-31")
        else:
            if not name:
                error = _("name: give the theme a name")
            elif not filters:
                error = _("filter: give at least one of category, product, batch, region, keyword")
            elif date_to < date_from:
                error = str(FieldError("to", "analytics.period_order"))
            else:
                theme = Theme.objects.create(name=name, filters=filters, date_from=date_from, date_to=date_to,
                                             shared=bool(request.POST.get("shared")), created_by=request.user,
                                             created_at=clock_now())
                return redirect("analytics:theme", theme_id=theme.pk)
    themes = Theme.objects.filter(Q(shared=True) | Q(created_by=request.user)).select_related("created_by")
    today = _today()
    return render(request, "analytics/themes.html", {"themes": themes, "error": error, "fields": THEME_FIELDS,
                                                     "default_from": today - timedelta(days=90), "default_to": today},
                  status=422 if error else 200)


@login_required
def theme_view(request: HttpRequest, theme_id: int) -> HttpResponse:
    from django.db.models import Q

    from kesu.analytics.models import Theme
    from kesu.analytics.themes import theme_analysis
    from kesu.complaints.models import RootCause

    if not _allowed(request):
        return forbidden(request, _("Your role has no analytics pages."))
    theme = get_object_or_404(Theme.objects.filter(Q(shared=True) | Q(created_by=request.user)), pk=theme_id)
    result = theme_analysis(filters=theme.filters, date_from=theme.date_from, date_to=theme.date_to)
    weeks = result["weeks"]
    causes = dict(RootCause.choices)
    charts = [
        Chart(id="theme-trend", kind="line", title=_("The theme against the whole, per week"),
              categories=[w["week"] for w in weeks],
              series=[Series(theme.name, [w["theme"] for w in weeks]),
                      Series(_("All complaints"), [w["whole"] for w in weeks], axis=1, style="muted")],
              category_label=_("Week")),
        Chart(id="theme-words", kind="hbar", title=_("Distinctive words (against all other complaints)"),
              categories=[w for w, _z in result["words"]], series=[Series(_("z-score"), [z for _w, z in result["words"]])],
              decimals=1, category_label=_("Word"), height="l"),
        Chart(id="theme-causes", kind="pie", title=_("Root causes"),
              categories=[str(causes.get(k, k)) for k, _n in result["root_causes"]],
              series=[Series(_("Complaints"), [n for _k, n in result["root_causes"]])], category_label=_("Root cause")),
    ]
    return chart_xlsx_response(request, charts) or render(request, "analytics/theme.html", {
        "theme": theme, "result": result, "charts": charts})
