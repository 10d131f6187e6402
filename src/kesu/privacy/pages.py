"""Masking on pages and in exports (issue 15 §1): the one policy (``policy.Viewer``) applied where
people read personal data outside the API.

- A page about one complaint or one customer (the desk, the customer's 360° page) is masked as a
  whole when the viewer may not work on it: :func:`page_mask` applies :func:`masking.text_mask`
  to every text between the tags of the rendered HTML (never inside a tag, a ``<script>`` or a
  ``<style>``), with the customer's name, so every panel (timeline, calls, replies, mails, history)
  is covered without each one knowing about masking.
- A list (complaints, queues, search results, customers) masks row by row
  (:func:`complaint_rows_mask`, :func:`customer_rows_mask`): a handler sees their own rows in full
  and other rows masked. The rows are changed in memory only, never saved.
- An export masks each row the same way (:func:`export_row_mask`).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse

from kesu.privacy.masking import email_mask, identity_mask, name_mask, phone_mask, text_mask
from kesu.privacy.policy import Viewer

_TAG_OR_RAW = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)


def html_mask(html: str, names: list[str]) -> str:
    """``html`` with personal data masked in its text (tags, scripts and styles left as they are)."""
    parts = _TAG_OR_RAW.split(html)
    return "".join(part if i % 2 else text_mask(part, names) for i, part in enumerate(parts))


def page_mask(response: HttpResponse, *, full: bool, names: list[str]) -> HttpResponse:
    """The rendered page, masked unless ``full``; marked with a header tests and proxies can read."""
    if full or response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    charset = response.charset or "utf-8"
    response.content = html_mask(response.content.decode(charset), names).encode(charset)
    response["X-Kesu-Masked"] = "1"
    return response


def complaint_rows_mask(viewer: Viewer, complaints: Any) -> None:
    """Mask, in memory, the complaints of a list the viewer may not work on."""
    for complaint in complaints:
        if viewer.full_for_complaint(complaint):
            continue
        customer = complaint.customer
        names = [customer.name] if customer and customer.name else []
        for field in ("subject", "content", "resolution"):
            setattr(complaint, field, text_mask(getattr(complaint, field) or "", names))
        if customer is not None:
            customer.name = name_mask(customer.name or "")


def customer_rows_mask(viewer: Viewer, customers: Any) -> None:
    """Mask, in memory, the customers of a list the viewer may not see in full (names, identities)."""
    customers = list(customers)
    viewer.customers_prefetch([c.pk for c in customers])
    for customer in customers:
        if viewer.full_for_customer(customer.pk):
            continue
        customer.name = name_mask(customer.name or "")
        for identity in customer.identities.all():  # prefetched by the list
            identity.value = identity_mask(identity.kind, identity.value)


EXPORT_MASKS = {"customer_name": name_mask, "phone": phone_mask, "email": email_mask,
                "external_id": lambda v: identity_mask("external", v)}
EXPORT_TEXTS = ("subject", "content", "resolution")


def export_row_mask(header: list[str], row: list[str]) -> list[str]:
    """One exported row (columns named by ``header``) with its personal data masked."""
    values = dict(zip(header, row, strict=True))
    names = [values["customer_name"]] if values.get("customer_name") else []
    out = []
    for name, value in zip(header, row, strict=True):
        if value and name in EXPORT_MASKS:
            value = EXPORT_MASKS[name](value)
        elif value and name in EXPORT_TEXTS:
            value = text_mask(value, names)
        out.append(value)
    return out


def export_mask_for(user: Any):
    """The ``mask`` of ``complaints_export`` for ``user``: rows of complaints they may not work on masked."""
    from kesu.complaints.exporting import HEADER

    viewer = Viewer(user)

    def mask(complaint: Any, row: list[str]) -> list[str]:
        return row if viewer.full_for_complaint(complaint) else export_row_mask(HEADER, row)

    return mask
