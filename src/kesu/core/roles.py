"""The layers of a complaint centre (docs/architecture.md, "The roles") and what each may do."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DECISION = "decision", _("Decision layer")
    MANAGER = "manager", _("Management layer")
    HANDLER = "handler", _("First-line handler")
    SPECIALIST = "specialist", _("Second-line department")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


class Permission(models.TextChoices):
    COMPLAINT_READ = "complaint.read"
    COMPLAINT_CREATE = "complaint.create"
    COMPLAINT_HANDLE = "complaint.handle"
    COMPLAINT_MERGE = "complaint.merge"
    CUSTOMER_READ = "customer.read"
    DATA_IMPORT = "data.import"
    ROUTING_MANAGE = "routing.manage"
    KNOWLEDGE_MANAGE = "knowledge.manage"
    OPERATIONS_VIEW = "operations.view"  # workforce: forecast, staffing, simulation, process, risk pages


_EVERY_READ = {Permission.COMPLAINT_READ, Permission.CUSTOMER_READ}
_HANDLING = _EVERY_READ | {Permission.COMPLAINT_CREATE, Permission.COMPLAINT_HANDLE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DECISION: frozenset(_EVERY_READ),
    Role.ANALYST: frozenset(_EVERY_READ),
    Role.HANDLER: frozenset(_HANDLING),
    Role.SPECIALIST: frozenset(_HANDLING),
    Role.MANAGER: frozenset(
        _HANDLING | {Permission.COMPLAINT_MERGE, Permission.DATA_IMPORT, Permission.ROUTING_MANAGE,
         Permission.KNOWLEDGE_MANAGE}
    ),
    Role.ADMIN: frozenset(
        _HANDLING | {Permission.COMPLAINT_MERGE, Permission.DATA_IMPORT, Permission.ROUTING_MANAGE,
         Permission.KNOWLEDGE_MANAGE}
    ),
}


# workforce (issue 14): the operations pages are for the management layer and the analysts
for _role in (Role.MANAGER, Role.ADMIN, Role.ANALYST, Role.DECISION):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.OPERATIONS_VIEW}


def role_allows(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
