"""Measuring triage on a centre's own labelled files (`kesu triage evaluate --target …`) and training
the anger temperature on them. Files are written here from sentences written for these tests."""

from __future__ import annotations

import json

import pytest

from kesu.cli import main
from kesu.triage.anger import AngerModel
from kesu.triage.evaluation import anger_evaluate, red_channel_evaluate, red_terms_to_mute
from tests.factories import T0

RED = [
    "再不退款我就去法院起诉你们",
    "已经向银保监会投诉了，等着吧",
    "我要把这件事发到网上让大家都知道",
    "热水器漏电，孩子被电了一下，太危险了",
    "几十个业主准备一起去售楼处维权",
    "我已经报警了，派出所让我来找你们",
]
NOT_RED = [
    "催收人员威胁要起诉我，我会按时还款的",
    "请问这种情况可以起诉吗？",
    "去年曾向12315投诉过，一直没有结果，这次想先和你们协商",
    "用户办理了4G飞享套餐88客户，反映本月扣费异常",
    "快递三天没到，请尽快处理",
    "希望黑猫投诉能帮我解决退款问题",
    "上个月收到了他们寄来的律师函，想问问怎么处理",
    "套餐被多扣了20元，要求退款",
]

CALM = [
    "请问套餐怎么变更", "快递三天没到，麻烦帮忙查一下", "想咨询一下信用卡分期的手续费", "账单有一笔不认识的扣款，请核实",
    "宽带今天断网了，请安排维修", "能否帮我把发票抬头改一下", "退款什么时候能到账", "请问营业厅几点开门",
    "包裹显示签收但我没收到，请帮忙核实", "申请延期还款需要什么材料", "麻烦把我的号码加入免打扰", "外卖少送了一个菜",
]
ANGRY = [
    "你们就是骗子！乱扣我的钱，马上退回来！！", "垃圾公司，再不处理我就去12315投诉你们！！！",
    "凭什么乱扣费？你们这是抢钱吗？？", "我非常生气，客服态度恶劣，简直欺人太甚！", "高利贷！吸血鬼！还有没有王法？？",
    "等了两个小时还没送到，什么玩意儿！！差评！", "你们这是什么态度？气死我了！！！", "骗了我一万块钱，还要继续骗，无耻！",
    "三番五次打电话骚扰我家人，你们还有没有良心？？", "忍无可忍，再不解决我就报警！！", "Absolutely disgusting, you scammers!!",
    "This is a SCAM and I am furious!!!",
]


def _write(path, header, rows):
    path.write_text(header + "\n" + "\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_red_channel_evaluate_reports_precision_recall_and_the_kinds():
    rows = [(text, "1") for text in RED] + [(text, "0") for text in NOT_RED]
    result = red_channel_evaluate(rows)
    assert set(result) >= {"precision", "recall", "f1", "n_test", "flagged_share", "per_kind"}
    assert result["n_test"] == len(rows) and result["n_red"] == len(RED)
    assert result["precision"] == 1.0 and result["recall"] == 1.0
    assert result["flagged_share"] == round(len(RED) / len(rows), 4)
    assert set(result["per_kind"]) == {"safety", "group", "media", "regulator", "legal"}
    assert result["per_kind"]["legal"]["flagged"] >= 2 and result["muted"] == []


def test_red_channel_trained_on_a_centres_labels_mutes_its_false_alarms():
    # a centre whose product is called "曝光宝" (the word flags it, and it is never red there)
    train = [(f"曝光宝第{i}期的年费扣了两次", "0") for i in range(4)] + [("再不处理我就找媒体曝光", "1")]
    test = [("曝光宝的年费又扣了", "0"), ("我要报警", "1")]
    assert red_terms_to_mute(train) == ["曝光"]
    assert red_channel_evaluate(test)["precision"] == 0.5  # as shipped
    trained = red_channel_evaluate(test, train)
    assert trained["precision"] == 1.0 and trained["muted"] == ["曝光"]


def test_anger_evaluate_as_shipped_reports_the_fields_at_the_threshold():
    rows = [(text, "0") for text in CALM[:6]] + [(text, "1") for text in CALM[6:]] + [
        (text, "2") for text in ANGRY[:8]] + [(text, "3") for text in ANGRY[8:]]
    result = anger_evaluate(rows, threshold=70)
    assert set(result) >= {"roc_auc", "spearman", "calm_hot_share", "angry_hot_recall", "hot_share", "n_test"}
    assert result["roc_auc"] >= 0.9 and result["spearman"] > 0.6
    assert result["calm_hot_share"] == 0.0 and result["angry_hot_recall"] >= 0.5
    assert result["n_test"] == len(rows) and result["model"] == "rules as shipped"


def test_the_anger_model_learns_and_round_trips_without_pickle(tmp_path):
    texts = CALM + ANGRY
    levels = [0] * len(CALM) + [2] * len(ANGRY)
    model = AngerModel().fit(texts, levels)
    assert model.choice["chosen"] and model.choice["cv_roc_auc"] >= 0.8
    assert min(model.temperature(t) for t in ANGRY[:6]) > max(model.temperature(t) for t in CALM[:6])
    model.save(tmp_path / "anger")
    assert json.loads((tmp_path / "anger" / "anger.json").read_text(encoding="utf-8"))["format"] == "kesu-anger-model"
    loaded = AngerModel.load(tmp_path / "anger")
    assert [loaded.temperature(t) for t in texts] == [model.temperature(t) for t in texts]
    with pytest.raises(ValueError, match="not a readable anger model"):
        (tmp_path / "broken").mkdir()
        (tmp_path / "broken" / "anger.json").write_text("{}", encoding="utf-8")
        AngerModel.load(tmp_path / "broken")


@pytest.mark.django_db
def test_evaluate_targets_from_the_command_line(tmp_path, capsys):
    red = _write(tmp_path / "red.csv", "text,source,red",
                 [(t, "x", "1") for t in RED] + [(t.replace(",", "，"), "x", "0") for t in NOT_RED])
    assert main(["triage", "evaluate", "--target", "red_channel", "--test", str(red), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["precision"], result["recall"], result["n_test"]) == (1.0, 1.0, len(RED) + len(NOT_RED))

    anger = _write(tmp_path / "anger.csv", "text,anger",
                   [(t, "0") for t in CALM] + [(t.replace(",", "，"), "2") for t in ANGRY])
    assert main(["triage", "evaluate", "--target", "anger", "--test", str(anger), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["threshold"] == 70 and result["roc_auc"] >= 0.9 and "calm_hot_share" in result
    assert main(["triage", "evaluate", "--target", "anger", "--train", str(anger), "--test", str(anger),
                 "--json"]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert trained["model"]["chosen"] and trained["n_train"] == len(CALM) + len(ANGRY)


def test_evaluate_names_a_bad_label_row_and_requires_train_for_category(tmp_path, capsys):
    bad = _write(tmp_path / "bad.csv", "text,red", [("我要报警", "1"), ("快递没到", "yes")])
    assert main(["triage", "evaluate", "--target", "red_channel", "--test", str(bad)]) == 1
    assert "row 3" in capsys.readouterr().err
    assert main(["triage", "evaluate", "--test", str(bad)]) == 2
    assert "--train" in capsys.readouterr().err


@pytest.mark.django_db
def test_training_an_anger_model_makes_triage_use_it_and_rules_come_back(settings, tmp_path, capsys):
    from kesu.triage.context import triage_context_reset
    from tests.factories import make_complaint

    settings.KESU_DATA_DIR = tmp_path
    data = _write(tmp_path / "anger.csv", "text,anger",
                  [(t, "0") for t in CALM] + [(t.replace(",", "，"), "3") for t in ANGRY])
    assert main(["triage", "train", "--target", "anger", "--file", str(data)]) == 0
    out = capsys.readouterr().out
    assert "anger v1" in out and "active:" in out
    triage_context_reset()

    complaint = make_complaint(content="你们就是骗子！马上退钱！！", now=T0)
    emotion = complaint.events.get(kind="triaged").data["result"]["emotion"]
    assert emotion["reasons"][0]["code"] == "triage.emotion.model" and "rules_score" in emotion

    assert main(["triage", "models", "--target", "anger"]) == 0
    assert "* v1" in capsys.readouterr().out
    assert main(["triage", "activate", "rules", "--target", "anger"]) == 0
    triage_context_reset()
    again = make_complaint(content="你们就是骗子！马上退钱！！", now=T0)
    assert "rules_score" not in again.events.get(kind="triaged").data["result"]["emotion"]


@pytest.mark.django_db
def test_an_anger_file_with_too_few_angry_texts_is_refused(tmp_path, capsys, settings):
    settings.KESU_DATA_DIR = tmp_path
    data = _write(tmp_path / "anger.csv", "text,anger", [(t, "0") for t in CALM] + [("骗子！！", "2")])
    assert main(["triage", "train", "--target", "anger", "--file", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kesu: error: data: ") and "10" in err and err.count("\n") == 1
