"""Data protection benchmark: what the access log and masking add to a request (issue 15 §3: ≤ 1 ms).

    python bench/privacy.py                      # SQLite in a throw-away data folder
    python bench/privacy.py --runs 500
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/privacy.py

Three figures, each the median over ``--runs``:

* ``access_record``: one append to the access log (one INSERT, autocommit), timed alone;
* ``detail_logged - detail_unlogged``: GET /api/v1/complaints/{id} by an analyst (masked, logged)
  against the same request with the log write switched off, requests interleaved;
* ``mask``: masking one complaint detail body (content of ~600 characters, timeline of 6 events).
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


def run(runs: int) -> None:
    from django.test import Client
    from tests.factories import make_complaint, make_token, make_user

    import kesu.api.complaints as complaints_api
    from kesu.api.serializers import complaint_detail_dict
    from kesu.complaints.selectors import complaint_detail
    from kesu.core.clock import clock_now
    from kesu.core.roles import Role
    from kesu.customers.actions import CustomerHandles
    from kesu.privacy.actions import access_record
    from kesu.privacy.policy import complaint_body_mask

    analyst = make_user(Role.ANALYST, "bench-analyst")
    handler = make_user(Role.HANDLER, "bench-handler")
    content = ("我是张伟，电话13800138000，邮箱zhang@qq.com。冰箱买回来三天就不制冷，客服一直推诿，" * 12)[:600]
    complaint = make_complaint(by=handler, content=content,
                               customer=CustomerHandles(name="张伟", phone="13800138000", email="zhang@qq.com"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {make_token(analyst)}")
    url = f"/api/v1/complaints/{complaint.pk}"

    direct = []
    now = clock_now()
    for _ in range(runs):
        start = time.perf_counter()
        access_record(user=analyst, action="complaint_view", now=now, object_type="complaint",
                      object_id=complaint.pk, channel="api")
        direct.append(time.perf_counter() - start)

    real_record = complaints_api.access_record
    logged, unlogged = [], []
    for _ in range(5):
        client.get(url)  # warm-up
    for _ in range(runs):
        for on in (True, False):
            complaints_api.access_record = real_record if on else (lambda **kwargs: None)
            start = time.perf_counter()
            response = client.get(url)
            (logged if on else unlogged).append(time.perf_counter() - start)
            assert response.status_code == 200
    complaints_api.access_record = real_record

    body = complaint_detail_dict(complaint_detail(complaint_id=complaint.pk))
    masking = []
    for _ in range(runs):
        start = time.perf_counter()
        complaint_body_mask(body)
        masking.append(time.perf_counter() - start)

    print_json(
        runs=runs,
        access_record_ms=_median_ms(direct),
        detail_logged_ms=_median_ms(logged),
        detail_unlogged_ms=_median_ms(unlogged),
        log_cost_per_request_ms=round(_median_ms(logged) - _median_ms(unlogged), 3),
        mask_detail_ms=_median_ms(masking),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kesu-bench-privacy-") as data_dir, bench_database() as database_url:
        setup_django(data_dir, database_url)
        from django.db import connection

        print_json(database=connection.vendor)
        run(args.runs)


if __name__ == "__main__":
    main()
