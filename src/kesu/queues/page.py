"""What the complaint list page shows besides its filters: the queue sidebar with counts, the saved
views, and one page of the selected list. Used by ``web/views.py: complaint_list_view`` and by the
saved-view form when it has to show the page again with an error.

Queries: the full page reads the user's scope (1), every queue's count and the list's count (1),
the saved views (1) and the page's rows (1); the htmx refresh of the results reads the scope only
when a queue is selected, the list's count and the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from kesu.complaints.models import Complaint
from kesu.complaints.selectors import ComplaintFilters, complaint_list
from kesu.core.errors import FieldError
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.queues.definitions import QUEUES, Scope, queue_condition, queues_available
from kesu.queues.paging import ListPage, page_fill, page_number
from kesu.queues.selectors import (
    COUNT_CAP,
    assignable_people,
    capped_counts,
    queue_querysets,
    saved_views_of,
    scope_of,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueLink:
    name: str
    label: str
    count: int
    capped: bool
    current: bool

    @property
    def shown(self) -> str:
        """The count as the sidebar shows it: "999+" once it reaches the cap."""
        return f"{COUNT_CAP}+" if self.capped else str(self.count)


def list_context(
    *,
    user: User,
    filters: ComplaintFilters,
    queue: str,
    page: str | None,
    now: datetime,
    sidebar: bool,
    page_size: int = PAGE_SIZE,
) -> dict:
    """The context of the list (and, with ``sidebar``, of the queues and saved views). A bad
    filter value (the selector's ``FieldError``) gives an empty list and ``filter_error``."""
    scope: Scope | None = scope_of(user) if (sidebar or queue) else None
    within: Q | None = None
    empty = False
    if queue:
        within = queue_condition(queue, scope=scope, now=now)
        empty = within is None
    error: FieldError | None = None
    try:
        complaints = complaint_list(filters=filters, within=within)
    except FieldError as bad:
        error, empty, complaints = bad, True, Complaint.objects.none()
    names = queues_available(scope) if sidebar else []
    # every queue's count and the list's own, in one query
    counts = capped_counts([*queue_querysets(scope=scope, names=names, now=now), None if empty else complaints],
                           cap=COUNT_CAP)
    listed = ListPage(number=page_number(page), size=page_size, total=counts[-1], cap=COUNT_CAP)
    if not empty:
        page_fill(listed, complaints)
        # personal data of the rows the user may not work on is masked (issue 15 §1)
        from kesu.privacy.pages import complaint_rows_mask
        from kesu.privacy.policy import Viewer

        complaint_rows_mask(Viewer(user), listed.rows)
    context: dict = {"page": listed, "queue": queue, "queue_label": QUEUES.get(queue, ""), "filter_error": error}
    if sidebar:
        context["queues"] = [
            QueueLink(name, QUEUES[name], count, count > COUNT_CAP, name == queue)
            for name, count in zip(names, counts, strict=False)
        ]
        context["saved_views"] = list(saved_views_of(user))
        if user.can(Permission.COMPLAINT_HANDLE):
            context["assignable"] = assignable_people(scope=scope)
    return context
