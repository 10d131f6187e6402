"""Reading labelled CSV files and scoring a freshly trained category model."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kesu.triage.evaluation import EvaluationInputError, category_evaluate, labelled_rows_read

EXPECTED_KEYS = {"macro_f1", "accuracy", "per_class", "n_train", "n_test", "train_seconds", "predict_per_second",
                 "chosen", "baseline_macro_f1", "margin_over_baseline"}


def write(tmp_path, text: str, name: str = "rows.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_file_without_header_is_text_then_label(tmp_path):
    path = write(tmp_path, "扣费太多了,billing\n快递没到,delivery\n")
    assert labelled_rows_read(path) == [("扣费太多了", "billing"), ("快递没到", "delivery")]


def test_file_with_header_uses_the_named_columns_in_any_order(tmp_path):
    path = write(tmp_path, "\ufefflabel,id,text\nbilling,1,扣费太多了\ndelivery,2,\"快递没到, 物流不动\"\n")
    assert labelled_rows_read(path) == [("扣费太多了", "billing"), ("快递没到, 物流不动", "delivery")]


def test_explicit_column_names(tmp_path):
    path = write(tmp_path, "review,sentiment\n好吃,1\n难吃,0\n")
    assert labelled_rows_read(path, text_column="review", label_column="sentiment") == [("好吃", "1"), ("难吃", "0")]


def test_explicit_column_names_must_be_in_the_header(tmp_path):
    path = write(tmp_path, "review,label\n好吃,1\n")
    with pytest.raises(EvaluationInputError, match=r"rows.csv, row 1: no column named 'content'"):
        labelled_rows_read(path, text_column="content")


def test_quoted_and_unquoted_commas_without_header(tmp_path):
    # given a quoted text with a comma and a newline, and an unquoted text with commas
    path = write(tmp_path, '"您好,我的卡\n被扣费了",billing\n快递,没到,还不退款,delivery\n')
    # then the last column is the label and the rest is the text
    assert labelled_rows_read(path) == [("您好,我的卡\n被扣费了", "billing"), ("快递,没到,还不退款", "delivery")]


def test_gb18030_file(tmp_path):
    path = write(tmp_path, "扣费太多了,定价收费\n客服态度差,客户服务\n", encoding="gb18030")
    assert labelled_rows_read(path) == [("扣费太多了", "定价收费"), ("客服态度差", "客户服务")]


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path):
    path = write(tmp_path, '扣费,billing\n\n"快递\n没到",delivery\n,service\n')
    with pytest.raises(EvaluationInputError, match=r"rows.csv, row 5: empty text"):
        labelled_rows_read(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"rows.csv: the file is empty"),
        ("\n \n", r"rows.csv: the file is empty"),
        ("扣费,billing\n快递没到,\n", r"rows.csv, row 2: missing label"),
        ("扣费,billing\n  ,delivery\n", r"rows.csv, row 2: empty text"),
        ("扣费,billing\n快递没到\n", r"rows.csv, row 2: 1 column, expected 2"),
        ("text,label\n扣费,billing,extra\n", r"rows.csv, row 2: 3 columns, the header has 2"),
        ("text,label\n", r"rows.csv: the file has a header but no rows"),
    ],
)
def test_malformed_files_name_the_row(tmp_path, content, message):
    with pytest.raises(EvaluationInputError, match=message):
        labelled_rows_read(write(tmp_path, content))


def test_undecodable_bytes_name_the_row(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes("扣费,billing\n".encode() + b"\xff\xfe\xff\xff,delivery\n")
    with pytest.raises(EvaluationInputError, match=r"rows.csv, row 2: undecodable bytes"):
        labelled_rows_read(path)


def test_missing_file(tmp_path):
    with pytest.raises(EvaluationInputError, match="cannot read the file"):
        labelled_rows_read(tmp_path / "nope.csv")


@dataclass
class Prediction:
    label: str


class KeywordModel:
    """A stand-in model: "a" if the text holds "扣", else "b"."""

    def fit(self, texts, labels):
        return self

    def predict_one(self, text):
        return Prediction("a" if "扣" in text else "b")


def test_category_evaluate_on_a_known_case():
    train = [("扣费", "a"), ("快递", "b")]
    # predictions: a, a, b, b, b; truth: a, b, b, b, c (c never seen in training)
    test = [("扣钱", "a"), ("扣了快递", "b"), ("快递", "b"), ("物流", "b"), ("退款", "c")]
    result = category_evaluate(train, test, model_factory=KeywordModel)
    assert set(result) == EXPECTED_KEYS
    assert result["accuracy"] == 0.6
    assert result["n_train"] == 2 and result["n_test"] == 5
    assert result["per_class"]["a"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert result["per_class"]["b"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    assert result["per_class"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["macro_f1"] == pytest.approx((0.6667 + 0.6667 + 0.0) / 3, abs=1e-4)
    assert result["train_seconds"] >= 0 and result["predict_per_second"] > 0


def test_category_evaluate_with_the_real_model():
    train = [(f"第{i}次被扣费了，要求退款", "billing") for i in range(8)]
    train += [(f"快递第{i}天还没到，物流不动", "delivery") for i in range(8)]
    test = [("又被扣费，退款", "billing"), ("物流停了，快递没到", "delivery")]
    result = category_evaluate(train, test)
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert set(result["per_class"]) == {"billing", "delivery"}
