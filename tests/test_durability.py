"""A process killed mid-write never corrupts the database or loses a reported write."""

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT

WRITER = r"""
import sys
from reviewapp.store import ReviewStore
from tests.conftest import make_draft

store = ReviewStore(sys.argv[1])
rows = store.list_reviews()
review_id = rows[0].id if rows else store.add_article(make_draft(["Alpha beta gamma delta."]))
claim_id = store.claims(review_id)[0].id if store.claims(review_id) else store.add_claim_by_quote(
    review_id, "beta").id
start = int(sys.argv[2])
for i in range(start, start + 100000):
    with store.transaction():  # one annotation = several rows, all or nothing
        store.add_takeaway(review_id, f"takeaway {i}")
        store.update_claim(claim_id, note=f"note {i}")
    print(i, flush=True)  # reported as done only after COMMIT returned
"""


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_the_database_whole(tmp_path):
    db = tmp_path / "kill.db"
    rng = random.Random(20261127)
    reported: list[int] = []
    next_start = 0
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(next_start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # wait until it is writing
        assert first.strip().isdigit(), "writer did not start"
        reported.append(int(first))
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        reported += [int(line) for line in out.split()]
        next_start = reported[-1] + 1
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            texts = {row[0] for row in conn.execute("SELECT text FROM takeaways")}
            missing = [i for i in reported if f"takeaway {i}" not in texts]
            assert missing == [], f"reported writes lost after SIGKILL: {missing[:5]}"
            note = conn.execute("SELECT note FROM claims").fetchone()[0]
            # The claim note and the takeaways were written together: never one without the other.
            last = max(int(t.split()[1]) for t in texts)
            assert note == f"note {last}"
        finally:
            conn.close()
    assert len(reported) > 12
