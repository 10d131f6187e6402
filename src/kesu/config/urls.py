from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from kesu.api.main import api
from kesu.core.clock import clock_now
from kesu.core.health import health_report


def healthz(request):
    report = health_report(now=clock_now())
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("kesu.notifications.urls")),
    path("portal/", include("kesu.portal.urls")),
    path("survey/", include("kesu.surveys.urls")),
    path("queues/", include("kesu.queues.urls")),
    path("desk/", include("kesu.desk.urls")),
    path("library/", include("kesu.knowledge.urls")),
    path("compensation/", include("kesu.compensation.urls")),
    path("calls/", include("kesu.calls.urls")),
    path("incidents/", include("kesu.incidents.urls")),
    path("operations/", include("kesu.workforce.urls")),
    path("", include("kesu.web.urls")),
    path("analytics/", include("kesu.analytics.urls")),
    path("customers/", include("kesu.desk.customer_urls")),
    path("", include("kesu.analytics.urls_shortcuts")),
    path("security/", include("kesu.security.urls")),
    path("settings/", include("kesu.settings_ui.urls")),
    path("privacy/", include("kesu.privacy.urls")),
]
