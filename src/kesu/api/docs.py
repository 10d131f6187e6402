"""``/api/v1/docs``: Swagger UI from the package (``static/vendor/swagger-ui``, vendored from npm's
``swagger-ui-dist`` by ``scripts/vendor.sh``), so the page works on an intranet (issue 15, defect 10)."""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    template = "privacy/swagger.html"

    def render_page(self, request, api, **kwargs):  # type: ignore[no-untyped-def]
        import json

        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, self.template, context)
