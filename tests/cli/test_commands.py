"""The `kesu` command, run in-process against the test database."""

from __future__ import annotations

import pytest

from kesu.cli import main
from kesu.core.models import User
from kesu.core.selectors import user_for_token

pytestmark = pytest.mark.django_db


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("serve", "demo", "migrate", "createuser", "token", "import", "export"):
        assert command in out


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["createuser", "x"],
        ["serve", "--port", "eighty"],
        ["demo", "--complaints", "many"],
        ["import", "complaints"],
        ["export", "complaints", "out.csv", "--from", "31/03/2026"],
    ],
)
def test_wrong_arguments_print_one_line_and_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err


def test_createuser_with_role_and_generated_password(capsys):
    assert main(["createuser", "wangfang", "--role", "manager", "--name", "王芳"]) == 0
    out = capsys.readouterr().out
    user = User.objects.get(username="wangfang")
    assert user.role == "manager" and user.display_name == "王芳"
    password = out.rsplit("password: ", 1)[1].strip()
    assert user.check_password(password)


def test_createuser_refuses_unknown_role_and_duplicate(capsys):
    assert main(["createuser", "li", "--role", "boss"]) == 1
    assert "role: 无效的值“boss”" in capsys.readouterr().err
    assert main(["createuser", "li", "--role", "handler", "--password", "long-enough-1"]) == 0
    assert main(["createuser", "li", "--role", "handler"]) == 1
    assert "username: 用户名 li 已存在。" in capsys.readouterr().err
    assert User.objects.filter(username="li").count() == 1


def test_token_create_prints_a_working_token(capsys):
    main(["createuser", "api-user", "--role", "handler", "--password", "long-enough-1"])
    capsys.readouterr()
    assert main(["token", "create", "api-user"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("ks_")
    assert user_for_token(token).username == "api-user"


def test_token_for_unknown_user_is_refused(capsys):
    assert main(["token", "create", "nobody"]) == 1
    assert "no active user 'nobody'" in capsys.readouterr().err


def test_import_then_export_round_trip(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(
        "渠道,投诉内容,客户姓名,电话,索赔金额,备注\n"
        "电话,宽带断网三天，要求减免月租,王芳,13911112222,50.00,x\n"
        "传真,内容,李雷,13800000000,,y\n"
        ",,,,,\n"
        "邮件,,韩梅梅,13700000000,-5,z\n",
        encoding="utf-8",
    )
    assert main(["import", "complaints", str(source)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 rows; rejected 2" in out
    assert "ignored columns: 备注" in out
    assert "row 3:" in out and "channel" in out
    assert "row 5:" in out and "content" in out and "amount_claimed" in out

    target = tmp_path / "out.xlsx"
    assert main(["export", "complaints", str(target)]) == 0
    assert "exported 1 complaints" in capsys.readouterr().out
    import openpyxl

    rows = list(openpyxl.load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    assert dict(zip(header, row, strict=False))["content"] == "宽带断网三天，要求减免月租"


def test_import_of_a_missing_file_is_refused(tmp_path, capsys):
    assert main(["import", "complaints", str(tmp_path / "nope.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_token_revoke_stops_the_token_working(capsys):
    main(["createuser", "leaver", "--role", "handler", "--password", "long-enough-1"])
    main(["token", "create", "leaver"])
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert user_for_token(token) is not None
    assert main(["token", "revoke", "leaver", "--prefix", token[:8]]) == 0
    assert "revoked 1 token(s)" in capsys.readouterr().out
    assert user_for_token(token) is None
    assert main(["token", "revoke", "leaver"]) == 1  # nothing left to revoke
