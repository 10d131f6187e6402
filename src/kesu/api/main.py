"""The REST API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from kesu import __version__
from kesu.api.analytics import router as analytics_router
from kesu.api.auth import BearerToken
from kesu.api.calls import router as calls_router
from kesu.api.channels import router as channels_router
from kesu.api.compensation import router as compensation_router
from kesu.api.complaints import router as complaints_router
from kesu.api.customers import router as customers_router
from kesu.api.docs import LocalSwagger
from kesu.api.errors import domain_error_body, field_error_body, pydantic_field_error
from kesu.api.incidents import router as incidents_router
from kesu.api.knowledge import router as knowledge_router
from kesu.api.notifications import router as notifications_router
from kesu.api.openapi_errors import DocumentedRefusalsAPI
from kesu.api.parsing import StorableJSONParser, UnstorableText
from kesu.api.queues import router as queues_router
from kesu.api.routing import router as routing_router
from kesu.api.surveys import router as surveys_router
from kesu.api.webhooks import router as webhooks_router
from kesu.core.errors import Conflict, FieldError, InvalidTransition, NotPermitted
from kesu.privacy.api import router as privacy_router
from kesu.security.tokens import TokenRefused


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text goes out as UTF-8, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = DocumentedRefusalsAPI(  # a NinjaAPI that publishes its refusals (401, 403, 404, 422 …)
    renderer=Utf8JSONRenderer(),
    title="kesu API",
    version=__version__,
    description="Complaint management: intake, life cycle, customers. Authenticate with `Authorization: Bearer <token>` "
    "(create one with `kesu token create USERNAME`).",
    auth=BearerToken(),
    urls_namespace="api",
    parser=StorableJSONParser(),
    docs=LocalSwagger(),
)
api.add_router("/complaints", complaints_router)
api.add_router("/customers", customers_router)
api.add_router("/routing", routing_router)
api.add_router("/notifications", notifications_router)
api.add_router("/complaints", channels_router)  # /complaints/{id}/replies
api.add_router("/surveys", surveys_router)
api.add_router("/channels/webhooks", webhooks_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("", compensation_router)  # /complaints/{id}/compensation, /compensation/...
api.add_router("", calls_router)  # /calls, /customers/lookup
api.add_router("/queues", queues_router)
api.add_router("/incidents", incidents_router)
api.add_router("/analytics", analytics_router)
api.add_router("/privacy", privacy_router)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja answers a body it cannot parse with 400; the contract says bad input is 422 naming the field
    if exc.status_code == 400 and isinstance(exc.__cause__, UnstorableText):
        field = exc.__cause__.field
        (error,) = field_error_body(FieldError(field, exc.__cause__.code, **exc.__cause__.params))["detail"]
        return api.create_response(request, {"detail": [{**error, "loc": ["body", *field.split(".")]}]}, status=422)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        (error,) = field_error_body(FieldError("body", "api.not_json"))["detail"]
        return api.create_response(request, {"detail": [{**error, "loc": ["body"]}]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def schema_error(request, exc: ValidationError):
    # the schema's own checks (types, lengths, required fields) in the same shape as the domain's;
    # loc as django-ninja gives it, without its own wrapper names
    detail = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("payload", "data")]
        field_error = pydantic_field_error(loc[-1] if loc else "body", error)
        detail.append({**field_error_body(field_error)["detail"][0], "loc": loc or ["body"]})
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(FieldError)
def field_error(request, exc: FieldError):
    # code and params are the contract; message (and msg, ninja's own key) is in the caller's language
    return api.create_response(request, field_error_body(exc), status=422)


@api.exception_handler(InvalidTransition)
def invalid_transition(request, exc: InvalidTransition):
    body = {**domain_error_body(exc), "current_status": exc.current_status, "allowed_from": list(exc.allowed_from)}
    return api.create_response(request, body, status=409)


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    return api.create_response(request, domain_error_body(exc), status=409)


@api.exception_handler(TokenRefused)
def token_refused(request, exc: TokenRefused):
    """An unknown / expired token (401), a read-only token writing (403), an address locked (429)."""
    response = api.create_response(request, domain_error_body(exc), status=exc.status)
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(NotPermitted)
def not_permitted(request, exc: NotPermitted):
    return api.create_response(request, domain_error_body(exc), status=403)
