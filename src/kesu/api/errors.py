"""The API's error bodies: every refusal carries a message id (``code``), its ``params`` and the
``message`` in the caller's language (``Accept-Language``; zh-hans when none is given).

- 422: ``{"detail": [{"loc": ["body", field], "code", "params", "message", "msg", "type"}, …]}``
- 409 / 403: ``{"detail": message, "code", "params", "message"}`` (409 for a refused transition also
  has ``current_status`` and ``allowed_from``)

Schema validation by django-ninja / pydantic is answered in the same shape: pydantic's error types
are mapped to kesu's message ids here, once.
"""

from __future__ import annotations

from typing import Any

from kesu.core.errors import DomainError, FieldError
from kesu.core.messages import Message, given, message_defined

_PYDANTIC: dict[str, str] = {
    "missing": "field.required",
    "int_parsing": "field.not_integer",
    "int_type": "field.not_integer",
    "int_from_float": "field.not_integer",
    "bool_parsing": "field.not_boolean",
    "bool_type": "field.not_boolean",
    "string_type": "field.not_text",
    "list_type": "field.not_list",
    "dict_type": "field.not_object",
    "model_type": "field.not_object",
    "model_attributes_type": "field.not_object",
    "string_too_long": "field.too_long",
    "string_too_short": "field.required",
    "greater_than_equal": "field.out_of_range",
    "less_than_equal": "field.out_of_range",
    "greater_than": "field.out_of_range",
    "less_than": "field.out_of_range",
    "too_long": "field.list_too_long",
    "json_invalid": "api.not_json",
    "datetime_parsing": "api.not_datetime",
    "datetime_from_date_parsing": "api.not_datetime",
    "datetime_type": "api.not_datetime",
    "date_parsing": "api.not_datetime",
    "enum": "field.choice",
    "literal_error": "field.choice",
}


def pydantic_field_error(field: str, error: dict[str, Any]) -> FieldError:
    """One pydantic error as a :class:`FieldError` with a kesu message id and its parameters."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if message_defined(kind):  # a validator of ours raised a PydanticCustomError with a kesu id
        return FieldError(field, kind, **{k: v for k, v in ctx.items() if isinstance(v, str | int | float)})
    code = _PYDANTIC.get(kind, "field.invalid_value")
    got = given(value) if value is not None and not isinstance(value, dict) else ""
    if code == "field.too_long":
        return FieldError(field, code, limit=ctx.get("max_length"), got=len(value) if isinstance(value, str) else got)
    if code == "field.list_too_long":
        return FieldError(field, code, limit=ctx.get("max_length"))
    if code == "field.out_of_range":
        low = ctx.get("ge", ctx.get("gt", "—"))
        high = ctx.get("le", ctx.get("lt", "—"))
        return FieldError(field, code, low=given(low), high=given(high), got=got)
    if code == "field.choice":
        return FieldError(field, code, choices=str(ctx.get("expected", "")), got=got)
    if code in ("field.required", "field.not_object", "api.not_json"):
        return FieldError(field, code)
    return FieldError(field, code, got=got)


def field_error_body(exc: FieldError) -> dict[str, Any]:
    return {
        "detail": [
            {
                "loc": ["body", error.field],
                "code": error.code,
                "params": error.message_obj.as_data()["params"],
                "message": error.message,
                "msg": error.message,
                "type": error.code,
            }
            for error in exc.field_errors
        ]
    }


def domain_error_body(exc: DomainError) -> dict[str, Any]:
    message = exc.message
    return {"detail": message, "code": exc.code, "params": exc.message_obj.as_data()["params"], "message": message}


def error_body(code: str, **params: Any) -> dict[str, Any]:
    """A refusal that names no field (404, 401 …): ``detail`` (= ``message``), ``code``, ``params``."""
    return domain_error_body(DomainError(code, **params))


def not_found_body(kind: str, id: Any) -> dict[str, Any]:
    """404 for a row that does not exist: ``api.not_found`` with the kind of thing and its id."""
    return error_body("api.not_found", kind=Message(f"api.kind.{kind}"), id=id)
