"""Take the analytics screenshots from a running demo site (`make demo` first; the demo writes the
rollups; the report job must have run once, or run `kesu analytics update` and wait for it).

    .venv/bin/python scripts/screenshots_analytics.py [--base http://127.0.0.1:8000]

Writes docs/screenshots/analytics-*.png in Chinese (default) and English.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="kesu-demo-login")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for language in ("zh-hans", "en"):
            suffix = "" if language == "zh-hans" else "-en"
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.goto(f"{args.base}/login/")
            page.fill("input[name=username]", "decision")
            page.fill("input[name=password]", args.password)
            page.press("input[name=password]", "Enter")
            page.wait_for_load_state("networkidle")
            if language == "en":
                page.context.add_cookies([{"name": "django_language", "value": "en", "url": args.base}])
            for name, path in (("dashboard", "/analytics/"), ("kpis", "/analytics/kpis/"),
                               ("executive", "/analytics/executive/"), ("scorecard", "/analytics/scorecard/")):
                page.goto(f"{args.base}{path}")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)
                page.screenshot(path=OUT / f"analytics-{name}{suffix}.png", full_page=name != "dashboard")
            page.goto(f"{args.base}/analytics/reports/")
            report = page.locator("a[href$='.html']").first
            if report.count():
                page.goto(f"{args.base}{report.get_attribute('href')}")
                page.screenshot(path=OUT / f"analytics-report{suffix}.png", full_page=True)
            page.goto(f"{args.base}/analytics/measures/")
            page.locator("table a").last.click()
            page.get_by_test_id("verify").click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / f"analytics-verification{suffix}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
