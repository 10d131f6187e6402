"""The red channel: right when it fires. Each kind is found, with its evidence, when the customer
is in danger or takes (or threatens) the step; the false-positive shapes seen on real complaints —
numbers in product names, words inside other words, advice and policy text, history, the other
side's threats, a letter addressed to a hotline — do not fire, in Chinese and in English, and say
why they were not counted. All sentences are written for these tests."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from kesu.triage.redchannel import DISMISSALS, RED_KINDS, RedEvidence, red_channel_detect


def _found(text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.term) for e in red_channel_detect(text).evidence]


def _why(text: str) -> set[str]:
    return {d.why for d in red_channel_detect(text).dismissed}


@pytest.mark.parametrize(
    ("text", "kind", "term"),
    [
        # personal safety and health
        ("全家食物中毒，现在还在医院", "safety", "食物中毒"),
        ("孩子喝了你们的奶粉上吐下泻", "safety", "上吐下泻"),
        ("充电器用了两天就起火了", "safety", "起火"),
        ("热水器爆炸，我老婆被烫伤了", "safety", "爆炸"),
        ("插座漏电，我儿子触电了", "safety", "漏电"),
        ("快递员把老人撞倒，骨折了", "safety", "骨折"),
        ("再不解决我就跳楼", "safety", "跳楼"),
        ("被你们逼得活着没啥意义了", "safety", "活着没啥意义"),
        ("催收扬言要派人追杀我全家", "safety", "追杀"),
        ("昨晚吃完你家的酸菜鱼又拉又吐", "safety", "又拉又吐"),
        ("My son was injured by your heater", "safety", "injured"),
        ("The charger caught fire on the desk", "safety", "caught fire"),
        ("We ended up in the hospital after the meal", "safety", "ended up in the hospital"),
        ("I cannot go on, I will kill myself", "safety", "kill myself"),
        # people acting together
        ("业主们准备集体投诉", "group_incident", "集体投诉"),
        ("几十个业主准备一起去售楼处维权", "group_incident", "几十个业主"),
        ("明天去营业厅拉横幅", "group_incident", "拉横幅"),
        ("用户扬言要到省公司上访", "group_incident", "上访"),
        ("we will organise a protest outside your office", "group_incident", "protest"),
        ("dozens of customers will join a class action", "group_incident", "dozens of customers"),
        # media
        ("再不处理我就去媒体曝光", "media", "曝光"),
        ("已经联系了电视台记者", "media", "电视台"),
        ("我要把这件事发到网上", "media", "发到网上"),
        ("I will contact the press", "media", "the press"),
        ("I'll tell the local news about this", "media", "local news"),
        # regulators: a threat or the fact of escalation
        ("我要打12315投诉你们", "regulator", "12315"),
        ("已经向消协反映", "regulator", "消协"),
        ("准备向银保监会举报", "regulator", "银保监会"),
        ("用户表示如不解决将向工信部投诉", "regulator", "工信部"),
        ("再不处理我就打12345投诉你们", "regulator", "12345"),
        ("要求银保监会介入调查", "regulator", "银保监会"),
        ("I will report you to the CFPB", "regulator", "CFPB"),
        ("I have filed a complaint with the FTC", "regulator", "FTC"),
        # legal action by the customer
        ("已经找了律师", "legal", "律师"),
        ("准备起诉你们", "legal", "起诉"),
        ("再不处理我就报警", "legal", "报警"),
        ("来电人称已向派出所报警", "legal", "派出所"),
        ("现依照《合同法》追究对方法律责任", "legal", "追究对方法律责任"),
        ("I am going to sue you", "legal", "sue"),
        ("my lawyer will contact you", "legal", "lawyer"),
        ("I called the police", "legal", "police"),
    ],
)
def test_each_kind_is_found_with_its_evidence(text, kind, term):
    red = red_channel_detect(text)
    assert red.flagged, red.dismissed
    assert (kind, term) in _found(text)
    evidence = next(e for e in red.evidence if e.term == term)
    assert text[evidence.start:evidence.end] == term
    assert kind in red.kinds


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # a number before 客户/人 is not a crowd; a crowd needs a collective action
        ("用户办理了4G飞享套餐88客户，反映本月扣费异常", "no_action"),
        ("小区停水两天，共90个人受影响，请尽快抢修", "no_action"),
        ("我们小区几十个人都断网了", "no_action"),
        ("dozens of customers in our street lost service", "no_action"),
        # a term inside another word
        ("已通知物业并报社区处理", "not_a_word"),
        ("这次旅游行程被取消了，要求退款", "not_a_word"),
        # advice and policy text
        ("提醒：接到陌生诈骗电话不要理会或打110报警", "advice"),
        ("对违规行为将交由公安机关依法处理", "policy"),
        ("根据银监会的规定，银行不得收取该费用", "policy"),
        ("You can contact the police if you see fraud on your card", "advice"),
        # history told as background
        ("去年曾向12315投诉过，一直没有结果", "history"),
        ("之前打过市长热线，12315都没有处理", "history"),
        ("I previously filed a police report about a different card", "history"),
        # the other side acting: a lender's threats, letters received
        ("催收人员威胁要起诉我", "other_side"),
        ("贷款公司说要报警抓我", "other_side"),
        ("上个月收到了他们寄来的律师函", "other_side"),
        ("催收说再不还款就去法院起诉", "other_side"),
        ("客服让我自己去报警", "other_side"),
        ("The collector threatened to sue me", "other_side"),
        ("They told me to file a police report", "other_side"),
        ("their lawyer sent me a letter last week", "other_side"),
        # a letter addressed to a hotline or a complaint platform is not a threat
        ("恳请市长热线帮忙协调解决", "addressee"),
        ("希望黑猫投诉能帮我解决", "addressee"),
        ("I am submitting this complaint to the CFPB because the bank refused to help", "addressee"),
        # the body is named, the customer takes no step towards it
        ("律师说这个服务费不合法", "no_step"),
        # questions are not acts
        ("请问这种情况可以起诉吗？", "question"),
        ("Can I sue them for this?", "question"),
    ],
)
def test_false_positive_shapes_do_not_fire_and_say_why(text, why):
    red = red_channel_detect(text)
    assert not red.flagged, red.evidence
    assert why in _why(text), red.dismissed


@pytest.mark.parametrize(
    "text",
    [
        # calm questions and ordinary complaints
        "请问营业时间是几点",
        "你好，想咨询一下宽带怎么办理",
        "快递三天了还没到，请尽快处理",
        "外卖送晚了一个小时，菜都凉了，我要投诉",
        "套餐被多扣了20元，要求退款",
        "市长您好，我通过12345热线反映小区夜间施工噪音问题",
        "A市12345热线：来电人反映A3区K8县某路段路灯不亮",
        "该厂原为集体企业，改制后拖欠工资",
        "要求公司法人出面解释清楚",
        "逾期信息将报送至中国人民银行征信系统",
        "打工商银行电话查询余额",
        "What time do you open on Sunday?",
        "I want a refund for the broken phone",
        # look-alikes
        "我们去吃火锅吧",
        "手机拍照曝光过度",
        "多媒体功能用不了",
        "烟雾报警器一直响",
        "打人工客服打了半天",
        "跳楼价清仓",
        "东亚银行联名信用卡被降额",
        "the firewall blocks my game",
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
    red = red_channel_detect(text)
    assert not red.flagged, _found(text)
    assert "negated" in _why(text)


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


def test_the_customer_threatens_back_in_the_same_letter():
    # the collector's threat is theirs, the customer's answer is the customer's
    text = "催收威胁要起诉我。如果再骚扰我的家人，我就报警。"
    red = red_channel_detect(text)
    assert _found(text) == [("legal", "报警")]
    assert [(d.term, d.why) for d in red.dismissed] == [("起诉", "other_side")]


def test_evidence_is_in_text_order_without_duplicates():
    text = "我要报警！已经报警了，还要找记者曝光，再报警"
    red = red_channel_detect(text)
    assert [(e.kind, e.term) for e in red.evidence] == [
        ("legal", "报警"), ("media", "记者"), ("media", "曝光"),
    ]
    starts = [e.start for e in red.evidence]
    assert starts == sorted(starts)
    assert red.kinds == ["media", "legal"]


def test_evidence_and_dismissals_serialise_as_plain_data():
    red = red_channel_detect("已经找了律师")
    assert asdict(red.evidence[0]) == {"kind": "legal", "term": "律师", "start": 4, "end": 6}
    assert isinstance(red.evidence[0], RedEvidence)
    dismissed = red_channel_detect("催收人员威胁要起诉我").dismissed[0]
    assert asdict(dismissed) == {"kind": "legal", "term": "起诉", "start": 7, "end": 9, "why": "other_side"}
    assert dismissed.why in DISMISSALS


def test_english_matches_whole_words_in_any_case():
    assert _found("I WILL SUE YOU") == [("legal", "SUE")]
    assert not red_channel_detect("the issue is resolved").flagged  # "sue" inside "issue"
    assert not red_channel_detect("courtesy call please").flagged  # "court" inside "courtesy"


def test_mixed_language_text():
    assert {kind for kind, _ in _found("我已经联系了 lawyer，还会打12315投诉")} == {"legal", "regulator"}


def test_kinds_are_the_five_of_the_spec():
    assert RED_KINDS == ("safety", "group_incident", "media", "regulator", "legal")


def test_empty_text():
    red = red_channel_detect("")
    assert not red.flagged and red.evidence == [] and red.dismissed == []
