"""The emotion temperature: calm enquiries are cool, angry complaints with threats are hot, and the
trainable model and its evaluation behave on small data sets written here (no shared data)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.triage import emotion as emotion_module
from kesu.triage.emotion import (
    EMOTION_THRESHOLD_DEFAULT,
    EmotionModel,
    emotion_evaluate,
    emotion_temperature,
    labels_parse,
    lexicon_duplicates,
    roc_auc,
)
from kesu.triage.lexicon import emotion_en, emotion_zh


@pytest.mark.parametrize(
    "text",
    [
        "请问营业时间是几点",
        "请问营业时间是几点？",
        "你好，想咨询一下宽带怎么办理",
        "咨询一下套餐资费",
        "请问信用卡怎么申请分期？",
        "Could you tell me your opening hours?",
        "Hi, how do I change my billing address?",
    ],
)
def test_a_calm_question_scores_low(text):
    assert emotion_temperature(text).score < 30


@pytest.mark.parametrize(
    "text",
    [
        "谢谢，送餐很快，味道不错，辛苦了",
        "客服态度很好，问题解决了，非常满意",
        "Thank you, great service and very friendly staff",
    ],
)
def test_polite_praise_scores_low(text):
    assert emotion_temperature(text).score < 20


@pytest.mark.parametrize(
    "text",
    [
        "你们这是什么垃圾服务！！！再不退款我就投诉到12315，还要找媒体曝光！",
        "骗子公司，乱扣费，气死我了！！！我要起诉你们",
        "客服态度恶劣，直接挂我电话，太过分了！！我要去消协投诉",
        "This is a SCAM!!! Refund me now or I will sue you and report you to the CFPB",
        "Absolutely disgusting service, I am furious. Worst company ever!!!",
    ],
)
def test_an_angry_complaint_with_threats_scores_high(text):
    emotion = emotion_temperature(text)
    assert emotion.score >= 70, emotion
    assert emotion.above()  # at the default threshold: a senior handler takes it


def _reasons(text: str) -> list[tuple[str, str]]:
    return [(r["code"].removeprefix("triage.emotion."), r["params"]["evidence"]) for r in emotion_temperature(text).reasons]


def test_reasons_are_message_ids_with_the_evidence_in_text_order():
    reasons = emotion_temperature("垃圾服务！！！我要投诉到12315").reasons
    assert reasons[0] == {"code": "triage.emotion.abuse", "params": {"evidence": "垃圾"}}
    assert ("punct", "！！！") in _reasons("垃圾服务！！！我要投诉到12315")
    assert ("threat", "12315") in _reasons("垃圾服务！！！我要投诉到12315")  # the red channel's evidence


def test_english_reasons():
    reasons = _reasons("This is a SCAM!!! I am not happy")
    assert ("accusation", "SCAM") in reasons
    assert ("punct", "!!!") in reasons
    assert ("caps", "SCAM") in reasons
    assert ("negated", "not happy") in reasons


@pytest.mark.parametrize(
    "text",
    [
        # a long, sober letter: the problem is serious, the writer is not angry
        "本人于2021年3月在贵行办理信用卡，因疫情影响收入减少，未能按时还款。现本人已筹措资金，希望能够协商分期还款，"
        "也没有逃避还款的意思，不能一次性还清的原因已向客服说明，恳请贵行考虑本人的实际情况，谢谢。",
        "来电人反映A市A3区某路段路灯不亮，夜间出行不便，希望相关部门尽快安排维修。",
        "用户反映收到垃圾短信，内容为贷款广告，要求屏蔽该号码。",
        "市民反映接到诈骗电话，对方自称公安，已挂断，咨询如何举报。",
        "催收人员每天打电话给我的家人，影响了他们的生活，希望停止这种方式，我会按时还款的。",
        "请问套餐怎么变更~谢谢~",
    ],
)
def test_sober_letters_and_form_text_stay_below_the_threshold(text):
    emotion = emotion_temperature(text)
    assert emotion.score < EMOTION_THRESHOLD_DEFAULT, emotion


@pytest.mark.parametrize(
    "text",
    [
        "这个招联分期骗了我一万块钱，还要继续骗！",
        "凭什么乱扣我的钱？你们这是抢钱吗？？",
        "你们这是什么态度？我非常生气！！",
        "送饭的人都是脑残吗，能不能找个智商高点的来",
        "Who gave you the right to take my money? This is a scam and I am furious!!",
    ],
)
def test_indignation_accusations_and_abuse_are_hot(text):
    emotion = emotion_temperature(text)
    assert emotion.score >= EMOTION_THRESHOLD_DEFAULT, emotion


def test_field_names_are_not_abuse_and_a_tilde_is_not_warmth():
    assert ("abuse", "垃圾") not in _reasons("用户投诉收到垃圾短信")
    assert not any(kind == "accusation" for kind, _ in _reasons("接到诈骗电话"))
    assert emotion_temperature("请问怎么办理~").score == emotion_temperature("请问怎么办理").score


def test_neutral_negations_do_not_accumulate():
    one = emotion_temperature("不能办理。").score
    many = emotion_temperature("不能办理，也没有通知，不能退款，也没人回复，不能转账，也没有短信。").score
    assert many - one < 15


def test_a_rhetorical_question_asserts_what_it_negates():
    assert emotion_temperature("这不是坑人吗？").score > emotion_temperature("这不是坑人").score


def test_negation_flips_the_word_it_precedes():
    neutral = emotion_temperature("这次的服务").score
    # a negated positive word heats: 不满意 is hotter than 满意, and hotter than neutral
    assert emotion_temperature("这次的服务不满意").score > neutral > emotion_temperature("这次的服务满意").score
    assert ("negated", "不满意") in _reasons("不满意")
    assert ("negated", "不是很满意") in _reasons("我不是很满意")
    # 不错 ("not wrong") is praise and cools
    assert emotion_temperature("这次的服务不错").score < neutral
    # a negated complaint word cools: 不贵 / not bad
    assert emotion_temperature("价格不贵").score < emotion_temperature("价格贵").score
    assert emotion_temperature("not bad at all").score < emotion_temperature("bad").score
    assert emotion_temperature("I am not happy").score > emotion_temperature("I am happy").score


def test_a_negation_in_another_clause_does_not_flip():
    # 不 belongs to 在家, not to 满意
    assert emotion_temperature("我不在家，很满意").score < 30


def test_a_negated_threat_counts_nothing():
    assert emotion_temperature("我不会投诉的").score < emotion_temperature("我会投诉的").score


def test_intensifiers_strengthen():
    assert emotion_temperature("服务非常差").score > emotion_temperature("服务差").score
    assert emotion_temperature("extremely slow").score > emotion_temperature("slow").score


def test_praise_before_a_turn_counts_less():
    turned = emotion_temperature("味道不错，就是送得太慢了").score
    assert turned > emotion_temperature("味道不错，送得也快").score
    assert turned > emotion_temperature("味道不错").score


@pytest.mark.parametrize(
    "text",
    [
        "请问营业时间是几点",
        "快递三天还没到，麻烦尽快处理",
        "味道不错，送餐很快",
        "The delivery was late and the food was cold",
        "",
    ],
)
def test_adding_exclamations_and_abuse_never_lowers_the_score(text):
    base = emotion_temperature(text).score
    shouted = emotion_temperature(text + "！！！").score
    abused = emotion_temperature(text + "，垃圾").score
    both = emotion_temperature(text + "，垃圾！！！").score
    assert shouted >= base
    assert abused >= base
    assert both >= max(shouted, abused)


FRAGMENTS = [
    "请问", "不", "没有", "很", "太", "满意", "不错", "垃圾", "慢", "好吃", "投诉", "12315", "但是", "，", "。",
    "！", "？", "～", "快递", "我", "的", "not", " ", "very", "good", "bad", "scam", "!", "?", "NOW", "啊",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
def test_adding_abuse_and_exclamations_never_lowers_any_score(text):
    base = emotion_temperature(text).score
    assert emotion_temperature(text + "！！！").score >= base
    assert emotion_temperature(text + "，垃圾").score >= base
    assert emotion_temperature(text + "，垃圾！！！").score >= base


def test_surface_signals_heat():
    assert emotion_temperature("为什么还没到？？？").score > emotion_temperature("为什么还没到").score
    assert emotion_temperature("why is it NOT here").score > emotion_temperature("why is it not here").score
    assert emotion_temperature("啊啊啊啊还没到").score > emotion_temperature("还没到").score


def test_acronyms_and_redactions_are_not_shouting():
    reasons = _reasons("I called the ATM line and XXXX about my FCRA dispute")
    assert not any(kind == "caps" for kind, _ in reasons)


def test_internet_slang_and_look_alikes():
    assert emotion_temperature("笑死我了哈哈哈").score < 30
    assert emotion_temperature("快递员送到了，很好").score < 20  # 快递 is a courier, not "fast"
    assert emotion_temperature("订单号12315678").score == emotion_temperature("订单号").score  # not 12315


def test_scores_are_bounded_and_empty_text_is_neutral():
    assert 0 <= emotion_temperature("垃圾！！！" * 50).score <= 100
    assert 0 <= emotion_temperature("谢谢，很好，非常满意" * 50).score <= 100
    empty = emotion_temperature("")
    assert empty.score < 10 and empty.reasons == []
    assert emotion_temperature(None).score == empty.score  # type: ignore[arg-type]


def test_the_lexicons_list_each_term_once():
    assert lexicon_duplicates(emotion_zh) == []
    assert lexicon_duplicates(emotion_en) == []


def test_the_default_threshold_is_70():
    assert EMOTION_THRESHOLD_DEFAULT == 70
    assert emotion_module.Emotion(score=70).above()
    assert not emotion_module.Emotion(score=69).above()
    assert emotion_module.Emotion(score=69).above(60)


# --- the trainable form ----------------------------------------------------------------------

POSITIVE = [
    "味道很好，送餐很快", "非常满意，谢谢", "包装精美，很好吃", "服务热情，下次还来", "量足实惠，推荐",
    "小哥辛苦了，很准时", "好吃不贵，点赞", "菜很新鲜，好评", "速度快，味道棒", "一如既往的好吃",
    "great food, fast delivery", "lovely staff, thank you", "excellent and quick", "tasty and fresh",
]
NEGATIVE = [
    "送了两个小时，菜都凉了", "太难吃了，再也不点了", "少送了一个菜，打电话没人接", "态度恶劣，差评",
    "汤洒了一半，包装太差", "米饭是馊的，恶心", "等了很久还没到", "菜里有头发，要求退款", "贵而且量少",
    "送错了还不给换", "cold food, two hours late", "terrible, never again", "missing items and rude driver",
    "awful taste, want a refund",
]


def _rows():
    return [(text, "1") for text in POSITIVE] + [(text, "0") for text in NEGATIVE]


def test_the_model_learns_a_tiny_data_set():
    model = EmotionModel(min_df=1).fit([t for t, _ in _rows()], [label for _, label in _rows()])
    hot = model.temperatures(NEGATIVE)
    cold = model.temperatures(POSITIVE)
    assert min(hot) > max(cold)
    assert all(0 <= t <= 100 for t in hot + cold)
    assert model.temperature("太难吃了，差评") > model.temperature("很好吃，好评")


def test_one_text_scores_as_the_batch_does():
    model = EmotionModel(min_df=1).fit([t for t, _ in _rows()], [label for _, label in _rows()])
    texts = POSITIVE + NEGATIVE + ["", "  Great   food\n\n but COLD!!!", "完全没听说过的词", "太难吃了\t\t差评"]
    batch = model.negative_probabilities(texts)
    for text, expected in zip(texts, batch, strict=True):
        assert model.negative_probability(text) == pytest.approx(expected, abs=1e-9)
    assert [model.temperature(text) for text in texts] == model.temperatures(texts)


def test_a_trained_model_pickles():
    model = EmotionModel(min_df=1).fit([t for t, _ in _rows()], [label for _, label in _rows()])
    again = pickle.loads(pickle.dumps(model))
    assert again.temperatures(["太难吃了"]) == model.temperatures(["太难吃了"])


def test_the_model_refuses_one_class_and_bad_labels():
    with pytest.raises(ValueError, match="both"):
        EmotionModel().fit(["好吃", "很好"], [1, 1])
    with pytest.raises(ValueError, match="row 2"):
        labels_parse(["1", "positive"])
    with pytest.raises(RuntimeError):
        EmotionModel().temperatures(["好吃"])


def test_evaluate_reports_every_figure_and_auc_1_on_a_separable_set():
    rows = _rows()
    result = emotion_evaluate(rows, rows, threshold=50, model=EmotionModel(min_df=1))
    assert set(result) >= {
        "roc_auc", "f1_at_threshold", "precision_at_threshold", "recall_at_threshold", "lexicon_roc_auc",
        "n_train", "n_test", "train_seconds", "predict_per_second", "threshold",
    }
    assert result["roc_auc"] == 1.0
    assert result["f1_at_threshold"] == 1.0
    assert result["n_train"] == result["n_test"] == len(rows)
    assert 0.5 < result["lexicon_roc_auc"] <= 1.0
    assert result["threshold"] == 50


def test_evaluate_accepts_int_labels():
    rows = [(text, int(label)) for text, label in _rows()]
    assert emotion_evaluate(rows, rows, model=EmotionModel(min_df=1))["n_test"] == len(rows)


def test_roc_auc_counts_ties_half():
    assert roc_auc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) == 1.0
    assert roc_auc([0.1, 0.2, 0.9, 0.8], [1, 1, 0, 0]) == 0.0
    assert roc_auc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]) == 0.5
    with pytest.raises(ValueError):
        roc_auc([0.1, 0.2], [1, 1])
