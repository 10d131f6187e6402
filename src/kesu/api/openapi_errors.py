"""The refusals every operation may answer, published in the OpenAPI document.

Each operation documents its success responses; the refusals (401 without a valid token, 403 not
permitted, 404 unknown row, 409 conflict, 413 body too large, 422 bad input, 429 locked out, 400 a body
that is not one) come from the shared exception handlers in ``kesu.api.main`` and were missing from the
published document, so a client (and schemathesis) saw them as undocumented. They are added here to
every operation that does not document the status itself, all with the one error shape the API uses
(``ErrorOut``: ``detail``, a message or a list of field errors, and ``code``, ``params``, ``message``)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from kesu.api.schemas import ErrorOut

ERROR_SCHEMA_NAME = "ErrorOut"  # kesu.api.schemas.ErrorOut, the shape every refusal has

REFUSALS: dict[str, str] = {
    "400": "The request could not be read",
    "401": "No valid API token",
    "403": "Not permitted for this user or token",
    "404": "Not found",
    "409": "Conflicts with the current state",
    "413": "Request body too large",
    "422": "Invalid input; detail names the fields",
    "429": "Too many failed attempts; retry later",
}


def add_refusals(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        ERROR_SCHEMA_NAME, ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    ref = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            documented = {str(status) for status in responses}  # django-ninja keys them by int
            for status, description in REFUSALS.items():
                if status not in documented:  # an int 422 and a str "422" would both be written as "422"
                    responses[int(status)] = {
                        "description": description, "content": {"application/json": {"schema": ref}}
                    }
    return document


class DocumentedRefusalsAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the refusals of every operation (see the module)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        add_refusals(document)
        return document
