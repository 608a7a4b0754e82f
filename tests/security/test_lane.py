"""Fair share: arbitrary SQL runs in its own lane, beside Datasette's threads,
with a short queue (then 429 and Retry-After) and a rate per client; the
site's pages do not wait behind it."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.security.conftest import Live, live_server

SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
CLIENT = "x-test-client"


@pytest.fixture(scope="module")
def tight(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Three arbitrary-SQL requests at once (as many as Datasette's own threads),
    one waiting, five a minute per client, the client named by a header; slow
    queries stop after 2.5 s."""
    settings = {
        "plugins.hardening.running": "3",
        "plugins.hardening.queued": "1",
        "plugins.hardening.wait_seconds": "5",
        "plugins.hardening.rate": "5/minute",
        "plugins.hardening.client_header": CLIENT,
        "num_sql_threads": "3",
        "sql_time_limit_ms": "2500",  # room for a busy machine between the requests below
        "plugins.hardening.time_limit_ms": "2500",
    }
    yield from live_server(built_db, tmp_path_factory.mktemp("tight") / "server.log", settings)


def test_rate_per_client(tight: Live) -> None:
    with tight.client(headers={CLIENT: "rate"}) as client:
        answers = [client.get("/laws/-/query.json", params={"sql": "select 1"}) for _ in range(6)]
        assert [a.status_code for a in answers] == [200] * 5 + [429]
        assert 0 < int(answers[-1].headers["retry-after"]) <= 60
        assert "at most 5/minute" in answers[-1].json()["error"]
        # pages, stored queries and table pages are not counted
        assert client.get("/compare").status_code == 200
        assert client.get("/laws/laws_in_force.json", params={"country": "TH"}).status_code == 200
    with tight.client(headers={CLIENT: "someone else"}) as other:
        assert other.get("/laws/-/query.json", params={"sql": "select 1"}).status_code == 200


def test_full_lane_answers_429_and_pages_do_not_wait(tight: Live) -> None:
    finished: dict[str, float] = {}

    def slow(i: int) -> int:
        with tight.client(headers={CLIENT: f"slow {i}"}) as client:
            status = client.get("/laws/-/query.json", params={"sql": SLOW}).status_code
        if status == 400:  # ran to the time limit
            finished[f"slow {i}"] = time.monotonic()
        return status

    with ThreadPoolExecutor(6) as pool:
        slow_ones = [pool.submit(slow, i) for i in range(5)]
        time.sleep(0.3)  # the lane is full: three running, one waiting
        with tight.client() as client:
            pages = [client.get(p).status_code for p in ("/compare", "/laws/laws", "/search?q=data", "/country/TH")]
        finished["pages"] = time.monotonic()
        statuses = Counter(f.result() for f in slow_ones)
    assert pages == [200] * 4
    # each running query stops at the time limit (400); one more waits its turn; the fifth is turned away
    assert statuses == Counter({400: 4, 429: 1}), statuses
    # Datasette's own threads were free: the pages were answered while the slow queries still ran
    assert finished["pages"] < min(t for k, t in finished.items() if k != "pages")


def test_busy_answer_says_when_to_come_back(tight: Live) -> None:
    with ThreadPoolExecutor(6) as pool:
        futures = [
            pool.submit(lambda i=i: tight.client(headers={CLIENT: f"busy {i}"}).get("/laws/-/query.json", params={"sql": SLOW}))
            for i in range(6)
        ]
        busy = [r for r in (f.result() for f in futures) if r.status_code == 429]
    assert busy, "no request was turned away"
    assert all(int(r.headers["retry-after"]) >= 1 for r in busy)
    assert all("busy" in r.json()["error"] for r in busy)
