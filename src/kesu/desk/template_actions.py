"""Writers of the response templates (话术模板), edited by the management layer in the settings area.
The text is checked by ``template_validate`` (only known ``{variables}``), as the admin does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from kesu.complaints.models import ServiceType, Severity
from kesu.core.errors import FieldError, FieldErrors, permission_require
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.desk.actions import template_validate
from kesu.desk.models import ResponseTemplate, TemplateLanguage

BODY_MAX = 5000


def response_template_validate(
    *,
    name: Any,
    name_en: Any = "",
    language: Any = TemplateLanguage.ZH_HANS,
    severity: Any = "",
    service_type: Any = "",
    body: Any = "",
    active: Any = True,
) -> dict[str, Any]:
    """A template's fields as they would be stored; raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    name = name.strip() if isinstance(name, str) else ""
    name_en = name_en.strip() if isinstance(name_en, str) else ""
    if not name:
        errors.append(FieldError("name", "field.required"))
    for field, value in (("name", name), ("name_en", name_en)):
        if len(value) > 120:
            errors.append(FieldError(field, "field.too_long", limit=120, got=len(value)))
    if language not in TemplateLanguage.values:
        errors.append(
            FieldError("language", "field.choice", choices=list(TemplateLanguage.values), got=given(language))
        )
    if (severity or "") not in ("", *Severity.values):
        errors.append(
            FieldError("severity", "field.choice", choices=list(Severity.values), got=given(severity))
        )
    if (service_type or "") not in ("", *ServiceType.values):
        errors.append(
            FieldError(
                "service_type", "field.choice", choices=list(ServiceType.values), got=given(service_type)
            )
        )
    body = body if isinstance(body, str) else ""
    try:
        template_validate(body)
    except FieldError as error:
        errors.extend(error.field_errors)
    if len(body) > BODY_MAX:
        errors.append(FieldError("body", "field.too_long", limit=BODY_MAX, got=len(body)))
    if not isinstance(active, bool):
        errors.append(FieldError("active", "field.not_boolean", got=given(active)))
    if errors:
        raise FieldErrors(errors)
    return {
        "name": name,
        "name_en": name_en,
        "language": language,
        "severity": severity or "",
        "service_type": service_type or "",
        "body": body.strip(),
        "active": active,
    }


def response_template_save(
    *, template: ResponseTemplate | None, by: User | None, now: datetime, **fields: Any
) -> ResponseTemplate:
    """Create (``template=None``) or change a response template (its use count is kept)."""
    if by is not None:
        permission_require(by, Permission.SETTINGS_MANAGE)
    clean = response_template_validate(**fields)
    with transaction.atomic():
        row = (
            ResponseTemplate()
            if template is None
            else ResponseTemplate.objects.select_for_update().get(pk=template.pk)
        )
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_at, row.updated_by = now, by
        row.save()
    return row


def response_template_delete(*, template: ResponseTemplate, by: User | None, now: datetime) -> None:
    if by is not None:
        permission_require(by, Permission.SETTINGS_MANAGE)
    ResponseTemplate.objects.filter(pk=template.pk).delete()
