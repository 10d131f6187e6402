"""``{% expected_resolution complaint as expected %}``: when an open complaint is likely resolved."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def expected_resolution(complaint):
    from kesu.core.clock import clock_now
    from kesu.workforce.predictions import expected_resolution as predict

    return predict(complaint, now=clock_now())
