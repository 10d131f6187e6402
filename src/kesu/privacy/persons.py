"""Requests of the person (PIPL Art. 45 copy, Art. 47 deletion): export everything kesu holds about
one customer as a ZIP, or erase it.

Erasure anonymises, it does not delete rows: the customer becomes "已删除客户 #id", identities are
deleted, the free text of their complaints, events, replies, mails, calls and survey answers is
replaced by ``[已删除]``, attachments, recordings and raw mails are deleted from disk. Codes,
categories, statuses, times and durations stay, so the statistics do not change. Then every text
column of every table is swept for the person's name, phone numbers, e-mail addresses and external
ids (append-only tables included: erasure is the one writer allowed to change them), and on SQLite
the freed pages are overwritten (``secure_delete``), the file rewritten (``VACUUM``) and the
write-ahead log truncated, so nothing of
the person remains in the database file. The access log keeps only the fact of the erasure.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.forms.models import model_to_dict

from kesu.core.errors import FieldError
from kesu.customers.models import Customer, CustomerIdentity
from kesu.privacy.actions import access_record
from kesu.privacy.models import AccessAction, AccessLog

ERASED = "[已删除]"
# keys of free text in the JSON of events, notifications, payloads: replaced whole on erasure
FREE_TEXT_KEYS = frozenset({
    "text", "reason", "note", "resolution", "done", "needed", "comment", "body", "subject", "content",
    "transcript", "notes", "remedy", "decision_reason", "name", "phone", "email", "customer", "handle",
    "from", "to", "address", "summary", "title",
})
FREE_TEXT_FIELDS = FREE_TEXT_KEYS | {"text_plain", "body_text", "body_html", "raw_text", "message"}


def customer_find(*, customer_id: int | None = None, phone: str = "", email: str = "") -> Customer:
    from kesu.customers.identities import identity_normalise

    customer = None
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
    elif phone or email:
        kind, raw = ("phone", phone) if phone else ("email", email)
        value = identity_normalise(kind, raw)
        identity = CustomerIdentity.objects.filter(kind=kind, value=value).select_related("customer").first()
        customer = identity.customer if identity else None
    if customer is None:
        raise FieldError("customer", "privacy.no_customer")
    return customer


def _related_models(target: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is target and field.concrete:
                found.append((model, field.name))
    return found


def person_rows(customer: Customer) -> dict[str, list[dict[str, Any]]]:
    """Every row that belongs to the customer: the customer, and every row pointing at them or at
    one of their complaints or calls (model label → rows as dictionaries)."""
    from kesu.calls.models import Call
    from kesu.complaints.models import Complaint

    out: dict[str, list[dict[str, Any]]] = {"customers.customer": [model_to_dict(customer)]}
    complaint_ids = list(Complaint.objects.filter(customer=customer).values_list("pk", flat=True))
    call_ids = list(Call.objects.filter(customer=customer).values_list("pk", flat=True))
    for target, ids in ((Customer, [customer.pk]), (Complaint, complaint_ids), (Call, call_ids)):
        for model, field in _related_models(target):
            if model is AccessLog:
                continue
            rows = models.QuerySet(model).filter(**{f"{field}__in": ids})
            label = model._meta.label_lower
            seen = {r["id"] for r in out.get(label, []) if "id" in r}
            for row in rows:
                data = {f.name: getattr(row, f.attname) for f in model._meta.concrete_fields}
                if data.get("id") not in seen:
                    out.setdefault(label, []).append(data)
    return out


def person_export(*, customer: Customer, path: Path, by: Any, now: datetime) -> dict[str, int]:
    """Write a ZIP: ``person.json`` (every row) and the attachments, recordings and raw mails."""
    rows = person_rows(customer)
    files = _files(rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        body = {"customer_id": customer.pk, "exported_at": now.isoformat(), "tables": rows}
        archive.writestr("person.json", json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1,
                                                   default=str))
        for name, file in files:
            if file.exists():
                archive.write(file, f"files/{name}")
    path.chmod(0o600)
    access_record(user=by, action=AccessAction.PERSON_EXPORT, now=now, object_type="customer",
                  object_id=customer.pk, channel="cli" if by is None else "")
    return {"rows": sum(len(v) for v in rows.values()), "files": len(files)}


def _files(rows: dict[str, list[dict[str, Any]]]) -> list[tuple[str, Path]]:
    from django.conf import settings

    found = []
    for label, items in rows.items():
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                for row in items:
                    if row.get(field.name):
                        found.append((str(row[field.name]), Path(settings.MEDIA_ROOT) / str(row[field.name])))
    return found


def needles_of(customer: Customer) -> list[str]:
    """The strings that identify the person: name, every identity in stored and common written forms."""
    values = {customer.name.strip()} if len(customer.name.strip()) >= 2 else set()
    for kind, value in CustomerIdentity.objects.filter(customer=customer).values_list("kind", "value"):
        values.add(value)
        digits = re.sub(r"\D", "", value)
        if kind == "phone" and len(digits) >= 7:
            values.add(digits)
            if digits.startswith("86") and len(digits) == 13:
                values.add(digits[2:])
    return sorted({v for v in values if v}, key=len, reverse=True)


def _scrub(value: Any, needles: list[str], *, free: bool = False) -> Any:
    if isinstance(value, str):
        if free and value:
            return ERASED
        for needle in needles:
            if needle in value:
                value = value.replace(needle, ERASED)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, needles, free=free or k in FREE_TEXT_KEYS) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, needles, free=free) for v in value]
    return value


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
            and not f.primary_key]


def person_erase(*, customer: Customer, by: Any, now: datetime, within: Any = None) -> dict[str, int]:
    """Anonymise the customer everywhere (module docstring). Irreversible. ``within`` (a callable) runs
    first in the same transaction: an approved erasure request is marked approved with the erasure, or
    neither happens."""
    from django.conf import settings

    needles = needles_of(customer)
    rows = person_rows(customer)
    files = _files(rows)
    changed = 0
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")
    with transaction.atomic():
        if within is not None:
            within()
        # 1. rows of the person: free text replaced whole, files emptied
        for label, items in rows.items():
            model = apps.get_model(label)
            if model is Customer:
                continue
            fields = _text_fields(model)
            files_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
            for item in items:
                update: dict[str, Any] = {}
                for field in fields:
                    old = item.get(field.name)
                    new = _scrub(old, needles, free=field.name in FREE_TEXT_FIELDS and not isinstance(old, dict))
                    if isinstance(old, dict | list):
                        new = _scrub(old, needles, free=False)
                    if new != old:
                        update[field.name] = new
                for field in files_fields:
                    if item.get(field.name):
                        update[field.name] = ""
                if update:
                    changed += models.QuerySet(model).filter(pk=item["id"]).update(**update)
        # 2. the customer and their identities
        CustomerIdentity.objects.filter(customer=customer).delete()
        Customer.objects.filter(pk=customer.pk).update(name=f"已删除客户 #{customer.pk}")
        # 3. every text column of every table, for anything left that names the person
        changed += _sweep(needles)
        access_record(user=by, action=AccessAction.ERASURE, now=now, object_type="customer",
                      object_id=customer.pk, channel="cli" if by is None else "")
    for _name, file in files:
        file.unlink(missing_ok=True)
    _outbox_sweep(Path(getattr(settings, "EMAIL_FILE_PATH", "") or settings.KESU_DATA_DIR / "outbox"), needles)
    if sqlite:
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:  # inside a caller's transaction the file cannot be rewritten
                # rewrite the file without its free pages (old versions of rows), then cut the log
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA secure_delete=OFF")
    return {"rows": changed, "files": len(files)}


def _sweep(needles: list[str]) -> int:
    changed = 0
    for model in apps.get_models():
        if model is AccessLog or not model._meta.managed or model._meta.proxy:
            continue
        for field in _text_fields(model):
            query = models.Q()
            for needle in needles:
                query |= models.Q(**{f"{field.attname}__contains": needle})
            if isinstance(field, models.JSONField):
                continue  # JSON columns of the person's rows were scrubbed above; see below
            for pk, value in models.QuerySet(model).filter(query).values_list("pk", field.attname):
                changed += models.QuerySet(model).filter(pk=pk).update(**{field.attname: _scrub(value, needles)})
        json_fields = [f for f in _text_fields(model) if isinstance(f, models.JSONField)]
        if json_fields and needles:
            changed += _sweep_json(model, json_fields, needles)
    return changed


def _sweep_json(model: type[models.Model], fields: list[models.Field], needles: list[str]) -> int:
    """JSON columns cannot be searched the same way on both databases: read them as text."""
    from django.db.models.functions import Cast

    changed = 0
    for field in fields:
        query = models.Q()
        annotated = models.QuerySet(model).annotate(_as_text=Cast(field.attname, models.TextField()))
        for needle in needles:
            encoded = json.dumps(needle)[1:-1]
            query |= models.Q(_as_text__contains=needle) | models.Q(_as_text__contains=encoded)
        for pk, value in annotated.filter(query).values_list("pk", field.attname):
            changed += models.QuerySet(model).filter(pk=pk).update(**{field.attname: _scrub(value, needles)})
    return changed


def _outbox_sweep(folder: Path, needles: list[str]) -> None:
    """Mails written to the outbox folder (no SMTP configured) that name the person are deleted."""
    if not folder.is_dir():
        return
    encoded = [n.encode("utf-8") for n in needles]
    for file in folder.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            if any(n in data for n in encoded) or _mentions_encoded(data, needles):
                file.unlink(missing_ok=True)


def _mentions_encoded(data: bytes, needles: list[str]) -> bool:
    """A mail's headers and body may be base64 or quoted-printable: decode and look again."""
    import email
    import email.header

    try:
        message = email.message_from_bytes(data)
    except Exception:  # noqa: BLE001 - not a mail: nothing to decode
        return False
    text = io.StringIO()
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            text.write(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    for key, value in message.items():
        text.write(f"{key}: {email.header.make_header(email.header.decode_header(value))}\n")
    return any(n in text.getvalue() for n in needles)
