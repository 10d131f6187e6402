"""What several apps' views share: the complaint's page (rendered again with a refused form bound,
by the web, desk and compensation views) and the list's heat marker threshold. Public, so no view
imports another app's private helpers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kesu.calls.panel import calls_context
from kesu.compensation.panel import compensation_context
from kesu.complaints import lifecycle
from kesu.complaints.messages import ACTION_LABELS
from kesu.complaints.models import Category, Complaint
from kesu.complaints.selectors import complaint_detail
from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.desk.attachments import attachment_previews
from kesu.desk.panels import desk_context
from kesu.incidents.selectors import incident_panel
from kesu.sla.selectors import complaint_clocks
from kesu.triage.models import TriageSettings
from kesu.triage.panel import triage_panel
from kesu.triage.selectors import repeat_links, triage_latest
from kesu.web.forms import TRANSITION_FORMS, AttachmentForm, CorrectionForm, DomainForm
from kesu.web.sla_panel import sla_panel

# the list marks a heated complaint at the default threshold: reading the centre's setting would
# cost a query per page
LIST_EMOTION_THRESHOLD = TriageSettings._meta.get_field("emotion_threshold").default


def _actions_for(user, complaint: Complaint) -> list[str]:
    """The transitions the page offers: what the status allows and the user's role may do."""
    if not user.can(Permission.COMPLAINT_HANDLE):
        return []
    allowed = lifecycle.actions_allowed(complaint.status)
    if not user.can(Permission.COMPLAINT_MERGE) or complaint.merged_into_id:
        allowed = [a for a in allowed if a != "merge"]
    if complaint.merged_into_id:
        allowed = [a for a in allowed if a != "reopen"]
    return allowed


def complaint_page(
    request: HttpRequest,
    complaint_id: int,
    *,
    bound: DomainForm | None = None,
    bound_action: str = "",
    upload_form: AttachmentForm | None = None,
    correction_form: CorrectionForm | None = None,
    reply_form: DomainForm | None = None,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    complaint = complaint_detail(complaint_id=complaint_id)
    if complaint is None:
        raise Http404(_("No such complaint."))
    can_handle = request.user.can(Permission.COMPLAINT_HANDLE)
    transition_forms = [
        (
            action,
            ACTION_LABELS[action],
            bound if action == bound_action else TRANSITION_FORMS[action](prefix=action),
        )
        for action in _actions_for(request.user, complaint)
    ]
    note_form = None
    if can_handle:
        note_form = bound if bound_action == "note" else TRANSITION_FORMS["note"](prefix="note")
    # one query names every category the triage panel and the timeline mention (and fills the
    # correction select), however many events there are
    category_rows = list(Category.objects.all())
    categories = {category.code: category for category in category_rows}
    if can_handle:
        correction_form = correction_form or CorrectionForm(prefix="correct")
        correction_form.categories_offer(category_rows)
    else:
        correction_form = None
    events = list(complaint.events.all())
    now = clock_now()
    attachments = list(complaint.attachments.all())
    context = {
        "complaint": complaint,
        "triage": triage_panel(triage_latest(complaint, events=events), categories, complaint=complaint,
                               events=events),
        "links": repeat_links(complaint),
        "categories": categories,
        "correction_form": correction_form,
        "events": events,
        "sla": sla_panel(complaint_clocks(complaint, now=now, events=events), now=now),
        "attachments": attachments,
        "attachment_previews": attachment_previews(attachments),
        "transition_forms": transition_forms,
        "note_form": note_form,
        "upload_form": (upload_form or AttachmentForm()) if can_handle else None,
        "bound_action": bound_action,
        "refused": refused,
        "awaiting_acceptance": lifecycle.transfer_awaiting(complaint.sla),
        # after a failed POST the address is the form's; switching language returns to the page
        "lang_next": reverse("web:complaint_detail", args=[complaint.pk]),
    }
    context.update(desk_context(request.user, complaint, events, categories=categories, reply_form=reply_form))
    context.update(compensation_context(request.user, complaint))
    context.update(calls_context(request.user, complaint))
    context.update(incident_panel(request.user, complaint.pk))
    # personal data: in full for those who may work on the complaint, masked for everyone else (issue 15 §1)
    from kesu.privacy.pages import page_mask
    from kesu.privacy.policy import Viewer

    full = Viewer(request.user).full_for_complaint(complaint)
    context["pii_masked"] = not full
    context["can_reveal"] = not full and request.user.can(Permission.PRIVACY_REVEAL)
    response = render(request, "web/complaint_detail.html", context, status=status)
    names = [complaint.customer.name] if complaint.customer and complaint.customer.name else []
    return page_mask(response, full=full, names=names)
