"""Who may act on a complaint (issue 15, defect 3): not every handler on every complaint.

A complaint nobody holds yet (no assignee) is open to everyone who may handle complaints: that is
how work is picked up. Once assigned, only these may move it on (resolve, close, pend, transfer …),
as configured by ``KESU_COMPLAINT_ACTORS`` (default all four):

==============  ===========================================================
the assignee    always
``group``       members of the complaint's handling group
``lead``        the group's team lead
``manager``     the manager of the group's department
``management``  the management layer and administrators
==============  ===========================================================

The system itself (``by=None``: jobs, imports, intake) is not limited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kesu.core.roles import Role


@dataclass(frozen=True)
class ComplaintHolders:
    """Who holds a complaint: ids read once by the caller (pure input, no queries here)."""

    assignee_id: int | None
    group_member_ids: frozenset[int]
    lead_id: int | None
    manager_id: int | None


def may_act(user_id: int, role: str, holders: ComplaintHolders, scope: Collection[str]) -> bool:
    if holders.assignee_id is None or user_id == holders.assignee_id:
        return True
    if "management" in scope and role in (Role.MANAGER, Role.ADMIN):
        return True
    if "group" in scope and user_id in holders.group_member_ids:
        return True
    if "lead" in scope and user_id == holders.lead_id:
        return True
    return "manager" in scope and user_id == holders.manager_id
