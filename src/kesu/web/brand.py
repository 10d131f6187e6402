"""The customer-facing brand: one name on every page a customer sees (portal, survey, 404/500)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _


def brand_name() -> str:
    """``KESU_CUSTOMER_BRAND`` when the centre set one, else "Customer service" in the active language."""
    return getattr(settings, "KESU_CUSTOMER_BRAND", "") or _("Customer service")
