"""'Declare an incident from this suggestion': the declaration form pre-filled from a burst."""

from __future__ import annotations

from django.db.models import Min

from kesu.complaints.models import Complaint
from kesu.incidents.models import BurstSuggestion


def suggestion_scope(suggestion: BurstSuggestion) -> dict:
    """The scope the burst points at (its region and its category, tag or product), the start (its
    first complaint), a title and the shared words as the internal description."""
    scope: dict[str, list[str]] = {"regions": [], "products": [], "categories": [], "tags": [], "keywords": []}
    if suggestion.region:
        scope["regions"].append(suggestion.region)
    target = {"category_region": "categories", "tag_region": "tags", "product": "products"}[suggestion.dimension]
    scope[target].append(suggestion.value)
    first = Complaint.objects.filter(pk__in=suggestion.complaint_ids).aggregate(first=Min("created_at"))["first"]
    place = suggestion.region or ""
    return {
        "title": f"{place}{suggestion.value}".strip()[:200],
        "scope": scope,
        "starts_at": first or suggestion.window_start,
        "description": "、".join(suggestion.words),
        "matching": len(suggestion.complaint_ids),
        "suggestion_id": suggestion.pk,
    }
