"""POST /api/v1/complaints: creation, validation (422 naming the field), exact round trip, idempotency."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.core.models import HandlerProfile
from kesu.customers.models import Customer
from kesu.routing.actions import group_routing_set
from tests.api.builders import client_for, error_fields, post_json, unworded
from tests.api.conftest import NOW
from tests.factories import domain_timeline

URL = "/api/v1/complaints"
BODY = {
    "channel": "phone",
    "content": "快递三天没到，客服态度很差，要求退款。",
    "customer": {"name": "张伟", "phone": "13800138000"},
}


def _body(**overrides) -> dict:
    return {**BODY, **overrides}


def test_create_returns_201_with_number_location_and_created_event(handler, handler_client):
    response = post_json(handler_client, URL, _body(priority="P2", category="service-attitude"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"KS-2026-\d{6}", body["number"])
    assert response["Location"] == f"/api/v1/complaints/{body['id']}"
    assert body["status"] == "new"
    assert body["priority"] == "P2"
    assert body["category"]["code"] == "service-attitude"
    assert body["customer"]["name"] == "张伟"
    assert body["created_at"].startswith("2026-03-03T01:00:00")
    assert body["category_confirmed"] is True
    assert [
        (e["kind"], e["to_status"], e["actor"]["username"] if e["actor"] else None, e["at"])
        for e in domain_timeline(body["timeline"])
    ] == [
        (EventKind.CREATED, "new", handler.username, body["created_at"]),
        (EventKind.TRIAGED, "new", None, body["created_at"]),  # triage at intake, by the system
    ]
    # what the person gave is kept: triage decided only the severity
    assert domain_timeline(body["timeline"])[1]["data"]["applied"].keys() == {"severity"}


def test_create_places_the_complaint_in_a_group(handler_client, group):
    response = post_json(handler_client, URL, _body(group=group.code))

    assert response.json()["group"]["code"] == group.code


def test_a_known_phone_written_differently_finds_the_same_customer(handler_client):
    first = post_json(handler_client, URL, _body()).json()

    second = post_json(
        handler_client,
        URL,
        _body(customer={"name": "张先生", "phone": "+86 138-0013-8000", "email": "Zhang.Wei@Example.com"}),
    ).json()

    assert second["customer"]["id"] == first["customer"]["id"]
    assert Customer.objects.count() == 1
    identities = Customer.objects.get().identities.values_list("kind", "value")
    assert set(identities) == {("phone", "13800138000"), ("email", "zhang.wei@example.com")}


def test_create_for_an_existing_customer_id(handler_client):
    customer_id = post_json(handler_client, URL, _body()).json()["customer"]["id"]

    response = post_json(
        handler_client, URL, {"channel": "email", "content": "补充说明", "customer_id": customer_id}
    )

    assert response.status_code == 201
    assert response.json()["customer"]["id"] == customer_id


def test_amount_is_kept_to_the_cent(handler_client):
    response = post_json(handler_client, URL, _body(amount_claimed="1280.5"))

    assert response.status_code == 201
    assert Complaint.objects.get().amount_claimed == pytest.approx(1280.50)
    assert str(Complaint.objects.get().amount_claimed) == "1280.50"


# --- triage at intake ----------------------------------------------------------------------------------

DAMAGED = "冰箱送到时外箱破损，门把手摔坏了，订单号DD123"
HURT_AND_SUING = "你们的热水器漏电，我孩子被电击受伤住院了！！！我要找律师起诉你们！"


def test_what_intake_leaves_open_triage_decides_with_its_reasons(handler_client):
    # given a complaint recorded without category, severity or priority
    response = post_json(handler_client, URL, _body(content=DAMAGED))

    # then triage set them: the category from the keyword, severity and priority from the matrix
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["category"]["code"] == "logistics-damage"
    assert body["category_confirmed"] is False  # a suggestion until a person confirms it
    assert (body["severity"], body["priority"]) == ("general", "P3")
    assert "破损" in body["tags"]
    assert body["red_channel"] is False
    assert body["quality_missing"] == ["order_number", "product"]  # logistics-damage requires both

    # and the triaged event says what it applied and why
    triaged = domain_timeline(body["timeline"])[-1]
    assert (triaged["kind"], triaged["actor"]) == (EventKind.TRIAGED, None)
    assert body["triage"] == triaged["data"]["result"]
    result, applied = unworded(triaged["data"]["result"]), triaged["data"]["applied"]
    assert applied.keys() == {"category", "severity", "priority"}
    assert (applied["category"][1], applied["severity"][1], applied["priority"][1]) == (
        "logistics-damage",
        "general",
        "P3",
    )
    assert result["category"]["source"] == "keywords"
    assert {"code": "triage.category.keyword", "params": {"word": "破损"}} in result["category"]["reasons"]
    assert {"tag": "破损", "word": "破损"} in result["tags"]
    assert result["severity"]["reasons"] == [{"code": "triage.severity.none", "params": {}}]
    assert result["priority"]["reasons"] == [{"code": "triage.priority.matrix", "params": {
        "category": {"code": "triage.any.category", "params": {}}, "tier": {"code": "triage.tier.regular", "params": {}},
        "severity": {"code": "triage.level.general", "params": {}}, "priority": "P3"}}]

    # and the stored complaint is what the API said
    stored = Complaint.objects.get(pk=body["id"])
    assert (stored.category.code, stored.severity, stored.priority) == ("logistics-damage", "general", "P3")


def test_a_category_given_at_intake_is_kept_and_confirmed(handler_client):
    response = post_json(handler_client, URL, _body(content=DAMAGED, category="product-quality"))

    body = response.json()
    assert body["category"]["code"] == "product-quality"
    assert body["category_confirmed"] is True
    assert "破损" in body["tags"]  # triage still tags the text
    triaged = domain_timeline(body["timeline"])[-1]["data"]
    assert triaged["result"]["category"]["source"] == "given"
    assert "category" not in triaged["applied"]
    stored = Complaint.objects.get(pk=body["id"])
    assert (stored.category.code, stored.category_confirmed) == ("product-quality", True)


def test_an_angry_complaint_naming_injury_and_a_lawyer_is_major_and_p1(handler_client):
    response = post_json(handler_client, URL, _body(content=HURT_AND_SUING))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["red_channel"] is True
    assert (body["severity"], body["priority"]) == ("major", "P1")
    assert body["needs_senior"] is True
    assert body["emotion"] >= 70
    result = unworded(body["triage"])
    # the reasons name the evidence: the red-channel kinds and the very words that raised them
    assert result["severity"]["reasons"] == [{"code": "triage.severity.red", "params": {"kinds": [
        {"code": "triage.red.kind.safety", "params": {}}, {"code": "triage.red.kind.legal", "params": {}}]}}]
    assert result["priority"]["reasons"][0]["params"]["priority"] == "P1"
    evidence = {(e["kind"], e["term"]) for e in result["red_channel"]["evidence"]}
    assert {("safety", "漏电"), ("safety", "被电击受伤住院"), ("legal", "律师"), ("legal", "起诉")} <= evidence
    assert {"code": "triage.emotion.threat", "params": {"evidence": "律师"}} in result["emotion"]["reasons"]
    assert result["needs_senior"]["reasons"] == [
        {"code": "triage.senior.emotion", "params": {"score": body["emotion"], "threshold": 70}}]
    stored = Complaint.objects.get(pk=body["id"])
    assert (stored.red_channel, stored.severity, stored.priority) == (True, "major", "P1")


# --- validation ---------------------------------------------------------------------------------------


def _without(key: str) -> dict:
    return {k: v for k, v in BODY.items() if k != key}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_without("content"), "content"),
        (_body(content=""), "content"),
        (_body(content="   \n\t "), "content"),
        (_body(content="长" * 50_001), "content"),
        (_body(content=None), "content"),
        (_without("channel"), "channel"),
        (_body(channel="fax"), "channel"),
        (_body(channel=""), "channel"),
        (_body(severity="critical"), "severity"),
        (_body(priority="P0"), "priority"),
        (_body(priority="p1"), "priority"),
        (_body(subject="题" * 201), "subject"),
        (_body(category="no-such-category"), "category"),
        (_body(group="no-such-group"), "group"),
        (_body(amount_claimed="-0.01"), "amount_claimed"),
        (_body(amount_claimed="100000000"), "amount_claimed"),
        (_body(amount_claimed="1e30"), "amount_claimed"),
        (_body(amount_claimed="12.345"), "amount_claimed"),
        (_body(amount_claimed="lots"), "amount_claimed"),
        (_body(amount_claimed="NaN"), "amount_claimed"),
        (_body(customer_id=987654, customer=None), "customer_id"),
        (_body(customer={"tier": "gold", "name": "李"}), "customer.tier"),
        (_body(customer={}), "customer"),
        (_body(customer=None), "customer"),
        (_body(customer={"name": "李" * 129}), "name"),
        (_body(customer={"phone": "call me"}), "phone"),
        (_body(customer={"email": "not-an-address"}), "email"),
        # NUL cannot be stored by PostgreSQL: refused up front on every database
        (_body(content="退款\u0000"), "content"),
        (_body(subject="\u0000"), "subject"),
        (_body(customer={"name": "张\u0000伟"}), "name"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(body, field, handler_client):
    response = post_json(handler_client, URL, body)

    assert error_fields(response) == {field}
    assert Complaint.objects.count() == 0
    assert Customer.objects.count() == 0


def test_every_bad_field_is_named_at_once(handler_client):
    response = post_json(
        handler_client,
        URL,
        {
            "channel": "fax",
            "content": "   ",
            "severity": "critical",
            "priority": "P9",
            "amount_claimed": "-5",
            "category": "no-such-category",
            "group": "no-such-group",
            "customer": {"name": "李", "tier": "gold"},
        },
    )

    assert error_fields(response) == {
        "channel",
        "content",
        "severity",
        "priority",
        "amount_claimed",
        "category",
        "group",
        "customer.tier",
    }
    messages = " ".join(error["msg"] for error in response.json()["detail"])
    assert "fax" in messages and "P9" in messages and "no-such-category" in messages


def test_a_body_that_is_not_json_is_422(handler_client):
    for raw in ("channel=phone&content=hi", "{not json", b"\xff\xfe"):
        response = post_json(handler_client, URL, raw)

        assert response.status_code == 422, response.content
        assert response.json()["detail"][0]["loc"] == ["body"]
    assert Complaint.objects.count() == 0


def test_a_json_body_that_is_not_an_object_is_422(handler_client):
    response = post_json(handler_client, URL, [BODY])

    assert {"channel", "content"} <= error_fields(response)


# --- round trip ---------------------------------------------------------------------------------------


def test_chinese_emoji_and_long_content_come_back_exactly(handler_client):
    # given text with CJK, emoji (incl. a ZWJ family and a flag), line breaks and tabs, 20,000 characters
    unit = "投诉：产品质量差😡👨‍👩‍👧🇨🇳\n\t退款！ "
    content = (unit * (20_000 // len(unit) + 1))[:20_000]
    subject = "【加急】冰箱不制冷🥶，客服推诿"
    name = "欧阳娜娜🌸"

    # when it is created and read back
    created = post_json(
        handler_client,
        URL,
        _body(
            content=content,
            subject=subject,
            customer={"name": name, "email": "nana@例子.公司"},
            region="广东省深圳市",
            product="冰箱 BCD-520 ❄️",
        ),
    )
    assert created.status_code == 201, created.content[:500]
    detail = handler_client.get(f"{URL}/{created.json()['id']}")

    # then every character is as it was sent, and the JSON carries UTF-8, not \u escapes
    body = detail.json()
    assert len(body["content"]) == 20_000
    assert body["content"] == content
    assert body["subject"] == subject
    assert body["customer"]["name"] == name
    assert body["region"] == "广东省深圳市"
    assert body["product"] == "冰箱 BCD-520 ❄️"
    assert "冰箱不制冷🥶".encode() in detail.content
    listed = handler_client.get(URL).json()["items"][0]
    assert (listed["content"], listed["subject"], listed["customer"]["name"]) == (content, subject, name)


# --- idempotency ----------------------------------------------------------------------------------------


def test_same_key_and_body_returns_the_same_complaint_with_200(handler_client):
    first = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "req-1"})
    again = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "req-1"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert again["Location"] == first["Location"]
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.filter(kind=EventKind.CREATED).count() == 1


def test_same_key_with_another_body_is_409(handler_client):
    post_json(handler_client, URL, _body(), **{"Idempotency-Key": "req-1"})

    response = post_json(handler_client, URL, _body(content="另一件事"), **{"Idempotency-Key": "req-1"})

    assert response.status_code == 409
    assert "req-1" in response.json()["detail"]
    assert Complaint.objects.count() == 1


def test_without_a_key_every_post_creates(handler_client):
    ids = {post_json(handler_client, URL, _body()).json()["id"] for _ in range(2)}

    assert len(ids) == 2
    assert Complaint.objects.count() == 2


def test_keys_belong_to_their_user(handler, handler2, handler_client):
    other_client = client_for(handler2)

    mine = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "shared-key"})
    theirs = post_json(other_client, URL, _body(), **{"Idempotency-Key": "shared-key"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_rejected_request_does_not_use_up_its_key(handler_client):
    bad = post_json(handler_client, URL, _body(channel="fax"), **{"Idempotency-Key": "req-2"})
    good = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "req-2"})

    assert (bad.status_code, good.status_code) == (422, 201)


def test_replay_returns_the_complaint_as_it_is_now(handler, handler_client):
    first = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "req-3"}).json()
    post_json(
        handler_client, f"{URL}/{first['id']}/transitions", {"action": "assign", "assignee": handler.username}
    )

    again = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "req-3"})

    assert again.status_code == 200
    assert again.json()["status"] == "assigned"


def test_an_overlong_key_is_422(handler_client):
    response = post_json(handler_client, URL, _body(), **{"Idempotency-Key": "k" * 256})

    assert error_fields(response) == {"Idempotency-Key"}
    assert Complaint.objects.count() == 0


def test_created_at_is_the_request_time(handler_client):
    response = post_json(handler_client, URL, _body())

    assert Complaint.objects.get(pk=response.json()["id"]).created_at == NOW


def test_a_complaint_posted_at_17h_utc_on_new_years_eve_is_numbered_in_the_new_year(handler_client):
    with time_machine.travel(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), tick=False):
        response = post_json(handler_client, URL, _body())

    assert response.json()["number"] == "KS-2027-000001"


def test_the_answer_to_an_intake_is_what_reading_the_complaint_answers(handler, handler_client, group):
    # given: a group that assigns automatically (the handler is online there), and a customer who
    # complained before about the same thing (a repeat, with its link in the answer; a senior handler)
    HandlerProfile.objects.filter(user=handler).update(availability="online", capacity=10, is_senior=True)
    group_routing_set(group=group, by=None, now=NOW, strategy="least_load")
    post_json(handler_client, URL, _body(group=group.code, amount_claimed="12.50"))

    # when: the same customer complains again, and the complaint is then read
    created = post_json(handler_client, URL, _body(group=group.code, amount_claimed="12.50"))
    read = handler_client.get(f"{URL}/{created.json()['id']}")

    # then: intake's answer (rendered without ninja's validation) is byte for byte the validated one
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["assignee"]["username"] == handler.username
    assert body["sla"]["clocks"] and body["repeats"]["repeats"]
    # (a deadline intake computed is in the local zone, the same instant as the UTC read back; the
    # keys of the stored free-form data come back in PostgreSQL's jsonb order, those of the schema in
    # the schema's order)
    again = read.json()
    assert _instants_in_utc(body) == _instants_in_utc(again)
    assert list(body) == list(again)
    assert list(body["sla"]) == list(again["sla"])
    assert [list(clock) for clock in body["sla"]["clocks"]] == [list(clock) for clock in again["sla"]["clocks"]]
    assert [list(event) for event in body["timeline"]] == [list(event) for event in again["timeline"]]


def _instants_in_utc(value):
    """``value`` (parsed JSON) with every time written in UTC."""
    if isinstance(value, dict):
        return {key: _instants_in_utc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_instants_in_utc(item) for item in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", value):
        return datetime.fromisoformat(value).astimezone(UTC).isoformat()
    return value
