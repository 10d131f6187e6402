from __future__ import annotations

from kesu.knowledge.actions import article_save
from tests.factories import T0


def article(by, *, title="处理签收未收到", body="", now=T0, **fields):
    fields.setdefault("steps", [])
    fields.setdefault("category", None)
    fields.setdefault("tags", [])
    fields.setdefault("products", [])
    fields.setdefault("public", False)
    return article_save(by=by, now=now, title=title, body=body or "按流程处理。", **fields)
