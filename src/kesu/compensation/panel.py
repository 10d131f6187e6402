"""The compensation panel of the desk: the matrix's suggestion, the user's authority, the propose
form, and the complaint's proposals with their audit trail."""

from __future__ import annotations

from kesu.compensation.authority import covers
from kesu.compensation.forms import ProposalForm
from kesu.compensation.messages import status_text
from kesu.compensation.selectors import complaint_proposals, complaint_suggestions, limits_map, user_authority
from kesu.complaints.models import Complaint
from kesu.core.models import User
from kesu.core.roles import Permission


def compensation_context(user: User, complaint: Complaint, *, form: ProposalForm | None = None) -> dict:
    """The panel's context under ``compensation``; ``form``: the propose form with its errors."""
    authority = user_authority(user, limits_map())
    proposals = complaint_proposals(complaint)
    for proposal in proposals:
        proposal.status_text = status_text(proposal)
        pending = proposal.status == "pending"
        proposal.may_withdraw = pending and proposal.proposed_by_id == user.pk
        proposal.may_decide = pending and proposal.proposed_by_id != user.pk and covers(authority, proposal.amount)
    suggestions = complaint_suggestions(complaint)
    may_propose = user.can(Permission.COMPLAINT_HANDLE)
    return {
        "compensation": {
            "suggestion": suggestions[0] if suggestions else None,
            "remedies": list(dict.fromkeys(r for s in suggestions for r in s.remedies)),
            "authority": authority,
            "proposals": proposals,
            "form": (form or ProposalForm()) if may_propose else None,
        }
    }
