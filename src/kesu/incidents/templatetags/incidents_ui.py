"""Words for an incident link's how / exception and a suggestion's dimension, in the reader's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from kesu.core.messages import message_defined, message_render

register = template.Library()

DIMENSIONS = {"category_region": _("category × region"), "tag_region": _("tag × region"), "product": _("product")}


@register.filter
def incident_how(value: str) -> str:
    code = f"incident.how.{value}"
    return message_render(code) if message_defined(code) else value


@register.filter
def incident_exception(value: str) -> str:
    code = f"incident.exception.{value}"
    return message_render(code) if message_defined(code) else value


@register.filter
def incident_dimension(value: str) -> str:
    return str(DIMENSIONS.get(value, value))
