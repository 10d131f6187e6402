"""``{% expected_resolution complaint as expected %}``: when an open complaint is likely resolved."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def expected_resolution(complaint):
    from kesu.core.clock import clock_now
    from kesu.workforce.predictions import expected_resolution as predict

    return predict(complaint, now=clock_now())


@register.simple_tag
def process_outlook(complaint):
    """The stored process-model prediction of an open complaint (read with the complaint and its events on
    the desk: no query of its own there), worded for the panel; ``None`` without one, or when the complaint
    took a step since it was computed."""
    from django.core.exceptions import ObjectDoesNotExist

    from kesu.core.clock import clock_now
    from kesu.workforce.predictions import OPEN
    from kesu.workforce.process_predictions import activity_label

    if complaint.status not in OPEN:
        return None
    from kesu.workforce.page_data import LIFECYCLE

    try:
        prediction = complaint.process_prediction
    except ObjectDoesNotExist:
        return None
    # a step since the job ran (the desk prefetches the events): the prediction is out of date until the next run
    if sum(event.kind in LIFECYCLE for event in complaint.events.all()) != prediction.events:
        return None
    return {"next": activity_label(prediction.next_activity), "end": prediction.expected_end,
            "late": prediction.expected_end < clock_now(), "after": activity_label(prediction.last_activity),
            "computed_at": prediction.computed_at}
