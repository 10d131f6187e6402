import json

import pytest

from kesu.cli import main
from kesu.workforce.erlang import erlang_a_measures, erlang_c_measures, staffing_erlang_a, staffing_erlang_c


def test_textbook_case_from_the_command(capsys):
    code = main(["staffing", "--arrivals", "100", "--interval-minutes", "30", "--aht-seconds", "180",
                 "--target", "0.8", "--answer-seconds", "20", "--shrinkage", "0.3", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agents"] == 14
    assert data["positions"] == 20
    assert data["service_level"] == 0.888
    assert data["occupancy"] == 0.714
    assert data["p_wait"] == 0.174
    assert data["asa_seconds"] == 7.8


def test_large_centres_do_not_overflow():
    result = staffing_erlang_c(arrivals=100_000, interval_seconds=1800, aht_seconds=300, target=0.9, answer_seconds=15)
    assert result.agents > 100_000 * 300 / 1800
    assert 0.9 <= result.service_level <= 1
    service_level, p_wait, _asa = erlang_c_measures(17_000, 16_666.7, 300, 15)
    assert 0 <= p_wait <= 1 and 0 <= service_level <= 1


def test_erlang_a_with_endless_patience_is_erlang_c():
    assert erlang_a_measures(14, 10.0, 180, 20, 1e9)[:2] == pytest.approx(erlang_c_measures(14, 10.0, 180, 20)[:2],
                                                                            abs=2e-3)


def test_abandonment_needs_fewer_agents_and_reports_the_share_abandoned():
    c = staffing_erlang_c(arrivals=100, interval_seconds=1800, aht_seconds=180, target=0.8, answer_seconds=20)
    a = staffing_erlang_a(arrivals=100, interval_seconds=1800, aht_seconds=180, target=0.8, answer_seconds=20,
                          patience_seconds=60)
    assert a.agents < c.agents
    assert 0 < a.p_abandon < 0.2


@pytest.mark.parametrize("argv", [["--arrivals", "-3"], ["--arrivals", "many"], ["--target", "1.5"]])
def test_bad_arguments_exit_2_in_one_line(argv, capsys):
    base = {"--arrivals": "100", "--aht-seconds": "180", "--target": "0.8", "--answer-seconds": "20"}
    base[argv[0]] = argv[1]
    with pytest.raises(SystemExit) as stop:
        main(["staffing", *[x for pair in base.items() for x in pair]])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert argv[0] in err and len(err.strip().splitlines()) == 1
