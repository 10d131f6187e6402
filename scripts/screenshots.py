"""Take the README's screenshots from a running demo site (`make demo` first).

    .venv/bin/pip install playwright   # the Python package only; it drives Debian's chromium
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

Writes docs/screenshots/*.png in Chinese (default) and English.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="manager")
    parser.add_argument("--password", default="kesu-demo-login")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for language in ("zh-hans", "en"):
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page.goto(f"{args.base}/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.press("input[name=password]", "Enter")
            page.wait_for_load_state("networkidle")
            if language == "en":
                page.context.add_cookies([{"name": "django_language", "value": "en", "url": args.base}])
            suffix = "" if language == "zh-hans" else "-en"
            page.goto(f"{args.base}/")
            page.screenshot(path=OUT / f"complaint-list{suffix}.png")
            href = page.locator("table a[href*='/complaints/']").first.get_attribute("href")
            page.goto(f"{args.base}/?status=closed")
            closed = page.locator("table a[href*='/complaints/']").first.get_attribute("href")
            page.goto(f"{args.base}{closed}")
            page.screenshot(path=OUT / f"complaint-detail{suffix}.png", full_page=True)
            page.goto(f"{args.base}{href}")
            page.screenshot(path=OUT / f"complaint-open{suffix}.png", full_page=True)
            page.goto(f"{args.base}/complaints/new/")
            page.fill("input[name=amount_claimed]", "-5")
            page.locator("form:not(.langswitch) button[type=submit]").last.click()
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / f"complaint-new-errors{suffix}.png", full_page=True)
            page.goto(f"{args.base}/notifications/")
            page.screenshot(path=OUT / f"notifications{suffix}.png")
            page.goto(f"{args.base}/compensation/approvals/")
            page.screenshot(path=OUT / f"approvals{suffix}.png", full_page=True)
            page.goto(f"{args.base}/library/")
            page.screenshot(path=OUT / f"library{suffix}.png", full_page=True)
            page.close()
            _handler_pages(browser, args, language, suffix)
            # the public portal: a customer files a complaint and follows it (no login)
            portal = browser.new_page(viewport={"width": 1280, "height": 900})
            portal.context.add_cookies([{"name": "django_language", "value": language, "url": args.base}])
            portal.goto(f"{args.base}/portal/")
            portal.screenshot(path=OUT / f"portal-form{suffix}.png", full_page=True)
            portal.fill("input[name=name]", "陈晓" if language == "zh-hans" else "Chen Xiao")
            portal.fill("input[name=phone]", "13912345678" if language == "zh-hans" else "13912345679")
            portal.fill("textarea[name=content]", "宽带从周一开始断网，报修两次都没人上门。" if language == "zh-hans"
                        else "The broadband has been down since Monday; nobody came after two repair calls.")
            portal.locator("form button[type=submit]").last.click()
            portal.wait_for_load_state("networkidle")
            tracking = portal.locator("a[href*='/portal/t/']").first.get_attribute("href")
            portal.goto(f"{args.base}{tracking}" if tracking.startswith("/") else tracking)
            portal.screenshot(path=OUT / f"portal-tracking{suffix}.png", full_page=True)
            portal.close()
        browser.close()
    print(f"screenshots in {OUT}")


def _handler_pages(browser, args, language: str, suffix: str) -> None:
    """A first-line handler's day: the queues, the desk with a template chosen, logging a call."""
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": args.base}])
    page.goto(f"{args.base}/login/")
    page.fill("input[name=username]", "handler")
    page.fill("input[name=password]", args.password)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("networkidle")
    page.goto(f"{args.base}/?queue=mine")
    page.screenshot(path=OUT / f"queues{suffix}.png")
    page.goto(f"{args.base}/?queue=mine&status=in_progress")
    href = page.locator("table a[href*='/complaints/']").first.get_attribute("href")
    page.goto(f"{args.base}{href}")
    options = page.locator("select[name=reply-template] option")
    if options.count() > 1:
        page.select_option("select[name=reply-template]", index=1)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
    page.screenshot(path=OUT / f"desk{suffix}.png", full_page=True)
    phone = page.locator(".customer-panel dd.mono").filter(has_text=re.compile(r"^\s*1\d{10}\s*$")).first
    number = phone.inner_text() if phone.count() else "13800138000"
    page.goto(f"{args.base}/calls/new/")
    page.fill("input[name=number]", number.strip())
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    page.screenshot(path=OUT / f"call{suffix}.png", full_page=True)
    page.close()


if __name__ == "__main__":
    main()
