"""The red channel: each kind found in Chinese and English with its evidence; negations, look-alikes
and ordinary complaints are not red."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from kesu.triage.redchannel import RED_KINDS, RedEvidence, red_channel_detect


def _found(text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.term) for e in red_channel_detect(text).evidence]


@pytest.mark.parametrize(
    ("text", "kind", "term"),
    [
        # personal safety
        ("孩子吃了你们的饼干后食物中毒，现在在医院", "safety", "食物中毒"),
        ("充电器用了两天就起火了", "safety", "起火"),
        ("热水器爆炸，我老婆被烫伤了", "safety", "爆炸"),
        ("插座漏电，我儿子触电了", "safety", "漏电"),
        ("快递员把老人撞倒，骨折住院", "safety", "骨折"),
        ("再不解决我就跳楼", "safety", "跳楼"),
        ("My son was injured by your heater", "safety", "injured"),
        ("The charger caught fire on the desk", "safety", "caught fire"),
        ("There was a fire in the kitchen after the repair", "safety", "fire"),
        ("We were all poisoned by the salad", "safety", "poisoned"),
        ("she was hospitalized for two days", "safety", "hospitalized"),
        # group incidents
        ("我们小区几十个人都断网了", "group_incident", "几十个人"),
        ("业主们准备集体投诉", "group_incident", "集体投诉"),
        ("200多户居民停水三天", "group_incident", "200多户居民"),
        ("明天去营业厅拉横幅", "group_incident", "拉横幅"),
        ("dozens of customers in our street lost service", "group_incident", "dozens of customers"),
        ("we will organise a protest outside your office", "group_incident", "protest"),
        # media
        ("再不处理我就去媒体曝光", "media", "媒体"),
        ("已经联系了电视台记者", "media", "电视台"),
        ("我要把这件事发到网上", "media", "发到网上"),
        ("I will contact the press", "media", "the press"),
        ("a journalist friend wants the story", "media", "journalist"),
        ("I'll post this on social media", "media", "post this on social media"),
        # regulators
        ("我要打12315投诉你们", "regulator", "12315"),
        ("已经向消协反映", "regulator", "消协"),
        ("准备向银保监会举报", "regulator", "银保监会"),
        ("I will report you to the CFPB", "regulator", "CFPB"),
        ("I have filed a complaint with the FTC", "regulator", "FTC"),
        ("the ombudsman will hear about this", "regulator", "ombudsman"),
        # legal
        ("已经找了律师", "legal", "律师"),
        ("准备起诉你们", "legal", "起诉"),
        ("再不处理我就报警", "legal", "报警"),
        ("他打110报警了", "legal", "打110"),
        ("I am going to sue you", "legal", "sue"),
        ("my lawyer will contact you", "legal", "lawyer"),
        ("I will take you to court", "legal", "court"),
        ("I called the police", "legal", "police"),
    ],
)
def test_each_kind_is_found_with_its_evidence(text, kind, term):
    red = red_channel_detect(text)
    assert red.flagged
    assert (kind, term) in _found(text)
    evidence = next(e for e in red.evidence if e.term == term)
    assert text[evidence.start:evidence.end] == term
    assert kind in red.kinds


@pytest.mark.parametrize(
    "text",
    [
        # calm questions and ordinary complaints
        "请问营业时间是几点",
        "你好，想咨询一下宽带怎么办理",
        "快递三天了还没到，请尽快处理",
        "外卖送晚了一个小时，菜都凉了，我要投诉",
        "套餐被多扣了20元，要求退款",
        "What time do you open on Sunday?",
        "My parcel is three days late, please check",
        "I want a refund for the broken phone",
        # look-alikes
        "我们去吃火锅吧",
        "新开的起火锅店很好吃",
        "笑死我了",
        "累死了，气死我了，饿死了",
        "急死人了，还没送到",
        "这个爆炸头发型",
        "手机拍照曝光过度",
        "多媒体功能用不了",
        "烟雾报警器一直响",
        "打人工客服打了半天",
        "跳楼价清仓",
        "the firewall blocks my game",
        "we watched the fireworks",
        "the shop is next to the fire station",
        "I gave my son power of attorney",
        "we ate at the food court",
        "I was bored to death waiting on hold",
        # numbers inside longer numbers
        "订单号DD912315001",
        "点了10人份的套餐",
    ],
)
def test_neutral_text_is_not_red(text):
    red = red_channel_detect(text)
    assert not red.flagged, red.evidence
    assert red.evidence == []


@pytest.mark.parametrize(
    "text",
    [
        "没有受伤",
        "没有人受伤",
        "幸好没人受伤",
        "事故没有造成人员伤亡",
        "我们不会去曝光的",
        "我不是要起诉，只想退款",
        "我不想报警，只要道歉",
        "nobody was injured",
        "no one got hurt",
        "I'm not going to sue",
        "I won't call the police",
    ],
)
def test_a_negated_term_is_not_red(text):
    assert not red_channel_detect(text).flagged, _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "再不处理我就报警",
        "如果不退款，我就去媒体曝光",
        "不给说法就起诉",
        "if you don't refund me I will sue",
        "nobody answered, so I called the police",
    ],
)
def test_a_conditional_threat_stays_red(text):
    assert red_channel_detect(text).flagged


def test_a_question_about_legal_action_is_red():
    # decided: asking how to take legal action means preparing it (see the lexicon's docstring)
    assert _found("请问律师函模板是什么") == [("legal", "律师函")]


def test_evidence_is_in_text_order_without_duplicates():
    text = "我要报警！已经报警了，还要找记者曝光，再报警"
    red = red_channel_detect(text)
    assert [(e.kind, e.term) for e in red.evidence] == [
        ("legal", "报警"), ("media", "记者"), ("media", "曝光"),
    ]
    starts = [e.start for e in red.evidence]
    assert starts == sorted(starts)
    assert red.kinds == ["media", "legal"]


def test_evidence_serialises_as_plain_data():
    red = red_channel_detect("已经找了律师")
    assert asdict(red.evidence[0]) == {"kind": "legal", "term": "律师", "start": 4, "end": 6}
    assert isinstance(red.evidence[0], RedEvidence)


def test_english_matches_whole_words_in_any_case():
    assert _found("I WILL SUE YOU") == [("legal", "SUE")]
    assert not red_channel_detect("the issue is resolved").flagged  # "sue" inside "issue"
    assert not red_channel_detect("courtesy call please").flagged  # "court" inside "courtesy"


def test_mixed_language_text():
    assert {kind for kind, _ in _found("我已经联系了 lawyer，还会打12315")} == {"legal", "regulator"}


def test_kinds_are_the_five_of_the_spec():
    assert RED_KINDS == ("safety", "group_incident", "media", "regulator", "legal")


def test_empty_text():
    red = red_channel_detect("")
    assert not red.flagged and red.evidence == []
