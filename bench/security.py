"""Login and sessions benchmark: what the token checks and the session middleware add (issue 15).

    python bench/security.py                      # SQLite in a throw-away data folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/security.py

Figures, each the median over ``--runs``:

* ``token_check``: the API's token check (address lock lookup + token lookup + expiry/scope) against
  the token lookup alone;
* ``page``: GET / of a signed-in handler with and without the security middleware (headers, session
  timeout, refusal log), requests interleaved;
* ``login``: a POST /login/ that succeeds (password hashing with the test's cheap hasher excluded).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from sla_sweep import print_json, setup_django  # noqa: E402
from support import bench_database  # noqa: E402


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def _timed(samples: list[float], call) -> object:
    start = time.perf_counter()
    result = call()
    samples.append(time.perf_counter() - start)
    return result


def run(runs: int) -> None:
    from django.conf import settings
    from django.test import Client, RequestFactory, override_settings
    from tests.factories import make_group, make_token, make_user

    from kesu.core.roles import Role
    from kesu.core.selectors import token_lookup
    from kesu.security.tokens import token_user

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    handler = make_user(Role.HANDLER, "bench-handler", groups=[make_group("bench-desk")])
    raw = make_token(handler)
    request = RequestFactory().get("/api/v1/complaints")
    full, lookup = [], []
    for _ in range(runs):
        _timed(full, lambda: token_user(request, raw))
        _timed(lookup, lambda: token_lookup(raw))

    client = Client()
    client.force_login(handler)
    plain_middleware = [m for m in settings.MIDDLEWARE if not m.startswith("kesu.security.")]
    with_mw, without_mw = [], []
    for _ in range(5):
        client.get("/")
    for _ in range(runs):
        _timed(with_mw, lambda: client.get("/"))
        with override_settings(MIDDLEWARE=plain_middleware):
            _timed(without_mw, lambda: client.get("/"))

    logins = []
    for _ in range(min(runs, 100)):
        anonymous = Client()
        _timed(logins, lambda anonymous=anonymous: anonymous.post("/login/", {"username": "bench-handler", "password": "Kq8-mZvT2wL-9x"}))

    print_json(
        runs=runs,
        token_check_ms=_median_ms(full),
        token_lookup_alone_ms=_median_ms(lookup),
        page_with_security_ms=_median_ms(with_mw),
        page_without_security_ms=_median_ms(without_mw),
        login_post_ms=_median_ms(logins),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kesu-bench-security-") as data_dir, bench_database() as database_url:
        setup_django(data_dir, database_url)
        from django.db import connection

        print_json(database=connection.vendor)
        run(args.runs)


if __name__ == "__main__":
    main()
