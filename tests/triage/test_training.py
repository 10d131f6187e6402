"""Learning from the centre's own data: corrections are training data; train, promote, roll back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from kesu.cli import main
from kesu.complaints.models import Complaint, EventKind
from kesu.customers.actions import CustomerHandles
from kesu.triage.actions import complaint_correct, model_activate, model_train, training_rows
from kesu.triage.models import ModelVersion
from tests.factories import T0, domain_kinds, make_complaint

pytestmark = pytest.mark.django_db

BROADBAND = ["宽带断网{}天了，路由器一直闪红灯", "家里光猫没信号，网速特别慢{}", "宽带报修{}次没人上门，网络中断"]
FRIDGE = ["冰箱{}天不制冷，冷藏室结冰", "新买的冰箱噪音很大第{}天了", "冰箱门封条脱落{}处，漏冷"]


@pytest.fixture
def settings_models(settings, tmp_path):
    settings.KESU_DATA_DIR = tmp_path


def _history(count: int):
    """``count`` complaints whose category a person set: broadband → handling-efficiency, fridges → product-quality."""
    for i in range(count):
        texts, category = (BROADBAND, "handling-efficiency") if i % 2 else (FRIDGE, "product-quality")
        make_complaint(content=texts[i % 3].format(i), category=category, now=T0 + timedelta(minutes=i))


def test_a_correction_is_recorded_and_becomes_training_data(handler):
    complaint = make_complaint(content="快递三天没到")
    corrected = complaint_correct(complaint=complaint, by=handler, now=T0, category="logistics-delay",
                                  severity="urgent", reason="物流问题")
    assert corrected.category.code == "logistics-delay" and corrected.category_confirmed
    event = corrected.events.get(kind=EventKind.CORRECTED)
    assert event.actor == handler and event.data["changes"]["severity"][1] == "urgent"
    assert ("快递三天没到", "logistics-delay") in training_rows()


def test_an_analyst_cannot_correct(analyst):
    from kesu.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        complaint_correct(complaint=make_complaint(), by=analyst, now=T0, category="other")


def test_training_needs_enough_confirmed_complaints(settings_models):
    from kesu.core.errors import FieldError

    _history(10)
    with pytest.raises(FieldError) as refused:
        model_train(now=T0)
    assert (refused.value.field, refused.value.code, refused.value.params) == (
        "data", "triage.train.too_few", {"count": 10, "minimum": 50})


def test_train_promotes_the_first_model_and_triage_uses_it(settings_models):
    # given the centre's own confirmed history
    _history(80)

    # when a model is trained
    report = model_train(now=T0)

    # then it is the active version, tested on the newest 20% by time, next to the plain baseline,
    # with the settings it chose by cross-validation on the training part recorded
    assert report.promoted and report.version == 1
    assert report.metrics["n_test"] == 16 and report.metrics["macro_f1"] > 0.8
    assert report.metrics["baseline_macro_f1"] > 0.5
    chosen = report.metrics["chosen"]
    assert chosen["chosen"] in chosen["tried"] and chosen["cv_folds"] == 5
    assert ModelVersion.objects.get(is_active=True).metrics["chosen"] == chosen
    assert ModelVersion.objects.get(is_active=True).version == 1
    # and a new complaint without a category is classified by it, with alternatives and reasons
    complaint = make_complaint(content="冰箱不制冷了，冷冻室也不冷", now=T0 + timedelta(days=1))
    result = complaint.events.get(kind=EventKind.TRIAGED).data["result"]["category"]
    assert result["source"] == "model v1"
    assert result["code"] == "product-quality" == complaint.category.code
    assert result["reasons"] and {r["code"] for r in result["reasons"]} == {"triage.category.ngram"}
    assert not complaint.category_confirmed


def test_a_model_worse_than_the_active_one_is_kept_but_not_promoted(settings_models, monkeypatch):
    _history(80)
    model_train(now=T0)
    # the new model scores worse on the newest complaints than the active one does
    from kesu.triage import evaluation

    real = evaluation.category_evaluate
    monkeypatch.setattr(evaluation, "category_evaluate", lambda *a, **k: {**real(*a, **k), "macro_f1": 0.5})
    monkeypatch.setattr("kesu.triage.actions._score", lambda model, rows: {"macro_f1": 0.9, "accuracy": 0.9})

    second = model_train(now=T0 + timedelta(days=1))

    assert second.version == 2 and not second.promoted
    assert "v1 stays active" in second.reason  # what the CLI prints
    assert ModelVersion.objects.get(is_active=True).version == 1
    assert ModelVersion.objects.filter(version=2, is_active=False).exists()


def test_a_model_as_good_as_the_active_one_is_promoted(settings_models):
    _history(80)
    model_train(now=T0)
    second = model_train(now=T0 + timedelta(days=1))  # same data: same score, "not worse"
    assert second.promoted and second.metrics["macro_f1"] >= second.active_metrics["macro_f1"]
    assert ModelVersion.objects.get(is_active=True).version == 2


def test_rollback_is_one_command(settings_models, capsys):
    _history(80)
    model_train(now=T0)
    model_train(now=T0 + timedelta(days=1))

    assert main(["triage", "activate", "1"]) == 0
    assert ModelVersion.objects.get(is_active=True).version == 1
    assert "v1 is now the active category model" in capsys.readouterr().out
    complaint = make_complaint(content="冰箱不制冷了", now=T0 + timedelta(days=2))
    assert complaint.events.get(kind=EventKind.TRIAGED).data["result"]["category"]["source"] == "model v1"

    assert main(["triage", "models"]) == 0
    listing = capsys.readouterr().out
    assert "* v1" in listing and "  v2" in listing


def test_activating_an_unknown_version_names_the_known_ones(settings_models):
    from kesu.core.errors import FieldError

    _history(60)
    model_train(now=T0)
    with pytest.raises(FieldError) as refused:
        model_activate(version=7)
    assert (refused.value.code, refused.value.params) == ("triage.model.unknown_version", {"version": 7, "known": "v1"})


def test_train_command_reports_the_metrics(settings_models, capsys):
    _history(60)
    assert main(["triage", "train"]) == 0
    out = capsys.readouterr().out
    assert "v1: macro-F1" in out and "promoted: first model" in out


def test_evaluate_command_prints_json(tmp_path, capsys):
    train, test = tmp_path / "train.csv", tmp_path / "test.csv"
    lines = [f"{BROADBAND[i % 3].format(i)},net" if i % 2 else f"{FRIDGE[i % 3].format(i)},fridge" for i in range(60)]
    train.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    test.write_text("text,label\n" + "\n".join(lines[40:]) + "\n", encoding="utf-8")

    assert main(["triage", "evaluate", "--train", str(train), "--test", str(test), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    for key in ("macro_f1", "accuracy", "per_class", "n_train", "n_test", "train_seconds", "predict_per_second",
                "baseline_macro_f1", "chosen"):
        assert key in result
    assert result["n_train"] == 40 and result["n_test"] == 20 and result["accuracy"] > 0.8
    assert result["chosen"]["chosen"] in result["chosen"]["tried"]
    assert result["margin_over_baseline"] == round(result["macro_f1"] - result["baseline_macro_f1"], 4)


def test_evaluate_names_the_bad_row(tmp_path, capsys):
    train = tmp_path / "train.csv"
    train.write_text("宽带断网,net\n冰箱不冷,fridge\n,fridge\n", encoding="utf-8")
    assert main(["triage", "evaluate", "--train", str(train), "--test", str(train)]) == 1
    assert "row 3" in capsys.readouterr().err


def test_emotion_evaluate_reports_roc_auc(tmp_path, capsys):
    rows = ["label,review"] + [f"1,很好吃，送得很快，谢谢{i}" for i in range(20)] + [
        f"0,太难吃了，送了两个小时，垃圾{i}！！" for i in range(20)]
    data = tmp_path / "sentiment.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["triage", "evaluate", "--target", "emotion", "--train", str(data), "--test", str(data),
                 "--text-column", "review", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["roc_auc"] > 0.9 and "f1_at_threshold" in result


def test_the_same_customer_repeating_an_issue_is_linked_both_ways():
    first = make_complaint(content="我家千兆宽带从周一开始断网，报修了两次都没有人上门处理")
    again = make_complaint(content="宽带还是断网！报修两次没人上门，你们到底管不管", now=T0 + timedelta(days=3))
    other = make_complaint(content="冰箱送到时外箱破损，要求换货", now=T0 + timedelta(days=4))
    late = make_complaint(content="宽带断网报修没人上门", now=T0 + timedelta(days=40))
    assert again.repeat_count == 1 and other.repeat_count == 0
    assert late.repeat_count == 0  # outside the 30-day window
    assert list(again.repeat_links.values_list("earlier__number", flat=True)) == [first.number]
    assert list(first.repeated_by_links.values_list("complaint__number", flat=True)) == [again.number]
    assert Complaint.objects.get(pk=again.pk).needs_senior


def test_a_calm_question_is_cool_unflagged_and_low_priority():
    calm = make_complaint(content="请问营业时间是几点")
    assert (calm.emotion < 30, calm.red_channel, calm.needs_senior) == (True, False, False)
    assert calm.priority == "P4"  # a regular customer's consultation


def test_triaging_again_never_undoes_a_concurrent_action(handler):
    from kesu.pipeline import transitions as actions
    from kesu.triage.actions import complaint_triage

    stale = make_complaint(content="冰箱不制冷了")
    actions.complaint_assign(complaint=stale, assignee=handler, by=handler, now=T0)

    complaint_triage(complaint=stale, by=handler, now=T0 + timedelta(minutes=1))  # an old copy, status "new"

    current = Complaint.objects.get(pk=stale.pk)
    assert current.status == "assigned" and current.assignee == handler
    assert domain_kinds(current) == ["created", "triaged", "assigned", "triaged"]


def test_triaging_again_moves_the_time_limits_with_the_new_priority(handler):
    from kesu.triage.actions import complaint_triage

    # given a regular customer's complaint on the standard time limits
    complaint = make_complaint(content="快递三天没到，要求退款。")
    assert (complaint.priority, complaint.sla["policy"]) == ("P3", "standard")
    standard_due = complaint.next_due_at

    # when the customer turns out to be a VIP and triage decides the priority again
    complaint.customer.tier = "vip"
    complaint.customer.save()
    complaint_triage(complaint=complaint, by=handler, now=T0 + timedelta(minutes=5), open_fields=frozenset({"priority"}))

    # then the complaint is on the priority time limits at once, not at the next action or sweep
    current = Complaint.objects.get(pk=complaint.pk)
    assert (current.priority, current.sla["policy"]) == ("P2", "priority")
    assert current.next_due_at < standard_due
    assert current.events.filter(kind="sla_applied").count() == 2


def test_the_repeat_rate_counts_complaints_that_repeat_an_earlier_one():
    from kesu.triage.selectors import repeat_rate

    make_complaint(content="我家千兆宽带从周一开始断网，报修了两次都没有人上门处理")
    make_complaint(content="宽带还是断网！报修两次没人上门，你们到底管不管", now=T0 + timedelta(days=1))
    make_complaint(content="请问营业时间是几点", now=T0 + timedelta(days=2), customer=CustomerHandles(phone="13700000000"))
    make_complaint(content="发票开错了抬头", now=T0 + timedelta(days=3), customer=CustomerHandles(phone="13600000000"))

    assert repeat_rate(start=T0, end=T0 + timedelta(days=7)) == {"complaints": 4, "repeats": 1, "rate": 0.25}
    assert repeat_rate(start=T0 + timedelta(days=2), end=T0 + timedelta(days=7))["rate"] == 0.0


def test_an_unsure_model_gives_way_to_a_clear_keyword(settings_models):
    # given a model trained on broadband and fridge complaints only
    _history(80)
    model_train(now=T0)

    # and a centre that wants the model only when it is very sure
    from kesu.triage.models import TriageSettings

    TriageSettings.objects.update_or_create(pk=1, defaults={"category_min_confidence": 0.99})

    # when a complaint about something it never saw holds a category keyword (漏电 → product quality)
    complaint = make_complaint(content="你们的热水器漏电，洗澡时手麻了一下", now=T0 + timedelta(days=1))

    # then the keyword decides; when the model guessed the same, it is the model's category, applied
    result = complaint.events.get(kind=EventKind.TRIAGED).data["result"]["category"]
    assert (result["code"], result["apply"]) == ("product-quality", True)
    assert complaint.category.code == "product-quality"
    assert {"code": "triage.category.keyword", "params": {"word": "漏电"}} in result["reasons"]
    # and a keyword pointing elsewhere than the unsure model's guess wins, the guess kept as a reason
    other = make_complaint(content="宽带路由器漏电了", now=T0 + timedelta(days=1),
                           customer=CustomerHandles(phone="13500000000"))
    result = other.events.get(kind=EventKind.TRIAGED).data["result"]["category"]
    assert (result["source"], result["code"], result["apply"]) == ("keywords", "product-quality", True)
    assert {"code": "triage.category.model_unsure", "params": {"category": "handling-efficiency",
            "confidence": result["reasons"][-1]["params"]["confidence"]}} == result["reasons"][-1]


@pytest.mark.django_db
def test_the_demo_trains_a_category_model_that_categorises_a_new_complaint(settings_models, capsys):
    from datetime import UTC, datetime

    from kesu.cli import _demo_category_model
    from kesu.demo.generator import demo_generate

    demo_generate(complaints=400, seed=42, now=datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
    _demo_category_model()

    assert "Training the category model" in capsys.readouterr().out
    active = ModelVersion.objects.get(is_active=True)
    assert active.metrics["chosen"]["chosen"] and active.metrics["baseline_macro_f1"] is not None
    complaint = make_complaint(content="热水器漏电，洗澡的时候被电了一下，要求上门检修",
                               now=datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    assert complaint.category is not None
    _demo_category_model()  # a second run trains nothing more
    assert ModelVersion.objects.count() == 1
