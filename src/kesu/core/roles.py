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
    DPO = "dpo", _("Data protection officer")


class Permission(models.TextChoices):
    COMPLAINT_READ = "complaint.read"
    COMPLAINT_CREATE = "complaint.create"
    COMPLAINT_HANDLE = "complaint.handle"
    COMPLAINT_MERGE = "complaint.merge"
    CUSTOMER_READ = "customer.read"
    DATA_IMPORT = "data.import"
    ROUTING_MANAGE = "routing.manage"
    KNOWLEDGE_MANAGE = "knowledge.manage"
    INCIDENT_MANAGE = "incident.manage"
    # analytics (issue 12): dashboards and KPIs; targets (decision layer); scorecard weights (management)
    ANALYTICS_READ = "analytics.read"
    KPI_TARGET_SET = "analytics.target"
    SCORECARD_MANAGE = "analytics.scorecard"
    PRIVACY_AUDIT = "privacy.audit"  # read the access log (issue 15)
    PRIVACY_REVEAL = "privacy.reveal"  # unmask one value, giving a reason (logged)
    PRIVACY_REQUESTS = "privacy.requests"  # export and erase a person's data on request
    OPERATIONS_VIEW = "operations.view"  # workforce: forecast, staffing, simulation, process, risk pages
    SETTINGS_MANAGE = "settings.manage"  # the settings area (/settings/): calendars, policies, rules, templates …


_EVERY_READ = {Permission.COMPLAINT_READ, Permission.CUSTOMER_READ}
_HANDLING = _EVERY_READ | {Permission.COMPLAINT_CREATE, Permission.COMPLAINT_HANDLE}

# incidents (declare, update, resolve, decide burst suggestions): the management layer
_INCIDENTS = {Permission.INCIDENT_MANAGE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.DECISION: frozenset(_EVERY_READ),
    Role.ANALYST: frozenset(_EVERY_READ),
    Role.HANDLER: frozenset(_HANDLING),
    Role.SPECIALIST: frozenset(_HANDLING),
    Role.MANAGER: frozenset(
        _HANDLING | {Permission.COMPLAINT_MERGE, Permission.DATA_IMPORT, Permission.ROUTING_MANAGE,
         Permission.KNOWLEDGE_MANAGE} | _INCIDENTS
    ),
    Role.ADMIN: frozenset(
        _HANDLING | {Permission.COMPLAINT_MERGE, Permission.DATA_IMPORT, Permission.ROUTING_MANAGE,
         Permission.KNOWLEDGE_MANAGE} | _INCIDENTS
    ),
}


# analytics (issue 12)
ROLE_PERMISSIONS = {
    **ROLE_PERMISSIONS,
    Role.DECISION: ROLE_PERMISSIONS[Role.DECISION] | {Permission.ANALYTICS_READ, Permission.KPI_TARGET_SET},
    Role.ANALYST: ROLE_PERMISSIONS[Role.ANALYST] | {Permission.ANALYTICS_READ},
    Role.MANAGER: ROLE_PERMISSIONS[Role.MANAGER] | {Permission.ANALYTICS_READ, Permission.SCORECARD_MANAGE},
    Role.ADMIN: ROLE_PERMISSIONS[Role.ADMIN] | {Permission.ANALYTICS_READ, Permission.KPI_TARGET_SET,
                                                Permission.SCORECARD_MANAGE},
}
# Data protection (issue 15): the data-protection officer reads everything masked, the access log and
# handles requests of the person; administrators too. Roles that work on complaints may reveal one value.
ROLE_PERMISSIONS[Role.DPO] = frozenset(_EVERY_READ | {Permission.PRIVACY_AUDIT, Permission.PRIVACY_REVEAL,
                                                      Permission.PRIVACY_REQUESTS})
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | {
    Permission.PRIVACY_AUDIT, Permission.PRIVACY_REVEAL, Permission.PRIVACY_REQUESTS}
for _role in (Role.HANDLER, Role.SPECIALIST, Role.MANAGER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.PRIVACY_REVEAL}
# workforce (issue 14): the operations pages are for the management layer and the analysts
for _role in (Role.MANAGER, Role.ADMIN, Role.ANALYST, Role.DECISION):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.OPERATIONS_VIEW}


def role_allows(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
# the settings area (issue 17 §2): the management layer edits the centre's configuration in the product
for _role in (Role.MANAGER, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.SETTINGS_MANAGE}
