"""Defect 10: /api/v1/docs loads Swagger UI from the package, not from a CDN."""

from __future__ import annotations

import re


def test_the_docs_page_loads_only_local_assets_and_they_are_served(client, db):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script (the settings are a JSON data block)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
