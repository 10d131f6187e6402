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
    assert "unknown role 'boss'" in capsys.readouterr().err
    assert main(["createuser", "li", "--role", "handler", "--password", "long-enough-1"]) == 0
    assert main(["createuser", "li", "--role", "handler"]) == 1
    assert "already exists" in capsys.readouterr().err
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
