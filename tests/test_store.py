"""ReviewStore on real SQLite files: schema, migrations, transactions, search, locking."""

import sqlite3

import pytest

from reviewapp.core.errors import BadInput, DatabaseError, NotFound, ReviewLocked
from reviewapp.core.model import Signoff
from reviewapp.store import ReviewStore
from reviewapp.store.migrations import LATEST
from tests.conftest import file_digest, make_draft
from tests.rawdb import raw_db

PARAS = [
    "Amazon has committed $4 billion to the startup.",
    "Anthropic suspended global access to two specific model versions.",
    "The cloud demands 99.9% reliability.",
]


@pytest.fixture
def review_id(store):
    return store.add_article(make_draft(PARAS, title="Amazon and Anthropic"))


def test_a_new_database_uses_wal_foreign_keys_and_the_latest_schema(store, review_id):
    with raw_db(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version == LATEST
    # Foreign keys are on in the store's connection: deleting a claim cascades to its links.
    claim = store.add_claim_by_quote(review_id, "99.9% reliability")
    source = store.add_source(review_id, [claim.id], url="https://example.org/sla")
    store.delete_claim(claim.id)
    assert store.source(source.id).claim_ids == []


def test_import_creates_article_revision_and_a_draft_review(store, review_id):
    data = store.load_review(review_id)
    assert data.review.status == "draft"
    assert data.revision.number == 1
    assert data.revision.text.startswith("Amazon and Anthropic\n\nAmazon has committed")
    assert data.revision.blocks[0].kind == "heading"
    assert store.raw_source(data.revision.id)[0].startswith(b"Amazon and Anthropic")


def test_first_annotation_moves_the_review_to_in_review(store, review_id):
    store.add_claim_by_quote(review_id, "99.9% reliability")
    assert store.review(review_id).status == "in-review"


def test_claims_are_numbered_in_text_order_not_creation_order(store, review_id):
    store.add_claim_by_quote(review_id, "99.9% reliability")
    store.add_claim_by_quote(review_id, "committed $4 billion")
    store.add_claim_by_quote(review_id, "two specific model versions")
    assert [c.quote for c in store.claims(review_id)] == [
        "committed $4 billion",
        "two specific model versions",
        "99.9% reliability",
    ]
    assert [c.number for c in store.claims(review_id)] == [1, 2, 3]


def test_sources_link_to_claims_and_deleting_a_claim_can_be_undone(store, review_id):
    claim = store.add_claim_by_quote(
        review_id,
        "committed $4 billion",
        status="false",
        note="It was $8 billion",
        correction="$8 billion",
    )
    source = store.add_source(review_id, [claim.id], url="https://example.org/a", title="Filing")
    assert store.claim_by_id(claim.id).source_ids == [source.id]
    removed = store.delete_claim(claim.id)
    assert store.claims(review_id) == []
    assert store.source(source.id).claim_ids == []
    restored = store.restore_claim(removed)
    assert restored.note == "It was $8 billion" and restored.source_ids == [source.id]


def test_takeaways_keep_their_order_through_moves_and_deletes(store, review_id):
    a = store.add_takeaway(review_id, "first")
    b = store.add_takeaway(review_id, "second")
    c = store.add_takeaway(review_id, "third")
    store.move_takeaway(c.id, 0)
    assert [t.text for t in store.takeaways(review_id)] == ["third", "first", "second"]
    removed = store.delete_takeaway(a.id)
    assert [t.position for t in store.takeaways(review_id)] == [0, 1]
    store.restore_takeaway(removed)
    assert [t.text for t in store.takeaways(review_id)] == ["third", "first", "second"]
    assert b.id in [t.id for t in store.takeaways(review_id)]


def test_full_text_search_finds_article_claims_sources_and_takeaways(store, review_id):
    claim = store.add_claim_by_quote(review_id, "99.9% reliability", note="uptime figure unsourced")
    store.add_source(review_id, [claim.id], url="https://status.example/", title="Status page")
    store.add_takeaway(review_id, "Jassy quote needs a second source")
    kinds = lambda q: {h["kind"] for h in store.search(q)}  # noqa: E731
    assert kinds("suspended") == {"article"}
    assert kinds("uptime") == {"claim"}
    assert kinds("status page") == {"source"}
    assert kinds("jassy") == {"takeaway"}
    assert [r.id for r in store.list_reviews(query="upt")] == [review_id]  # prefix match
    store.update_claim(claim.id, note="changed")
    assert kinds("uptime") == set()  # the index follows edits


def test_search_query_with_fts_syntax_is_treated_as_words(store, review_id):
    assert store.search('"committed" (billion') != []  # no FTS syntax error reaches the user
    with pytest.raises(BadInput):
        store.search("   ")


def test_a_failed_write_rolls_back_everything_in_its_transaction(store, review_id):
    before = store.load_review(review_id)
    with pytest.raises(BadInput), store.transaction():
        store.add_takeaway(review_id, "kept only if the whole transaction commits")
        store.add_source(review_id, url="ftp://not-allowed")
    after = store.load_review(review_id)
    assert after.takeaways == before.takeaways == []
    assert after.review.status == before.review.status


def test_bad_values_are_refused_with_the_valid_choices(store, review_id):
    claim = store.add_claim_by_quote(review_id, "99.9% reliability")
    with pytest.raises(BadInput, match="choose one of: unchecked, verified"):
        store.update_claim(claim.id, status="true-ish")
    with pytest.raises(BadInput, match="must start with http"):
        store.add_source(review_id, url="javascript:alert(1)")
    with pytest.raises(BadInput, match="verdict"):
        store.set_review(review_id, verdict="maybe")
    with pytest.raises(NotFound):
        store.claim(review_id, 7)


def test_a_signed_off_review_refuses_edits(store, review_id):
    claim = store.add_claim_by_quote(review_id, "99.9% reliability")
    store.set_status(review_id, "signed-off")
    for attempt in (
        lambda: store.add_claim_by_quote(review_id, "committed"),
        lambda: store.update_claim(claim.id, note="x"),
        lambda: store.delete_claim(claim.id),
        lambda: store.add_takeaway(review_id, "x"),
        lambda: store.add_source(review_id, url="https://example.org"),
        lambda: store.set_review(review_id, verdict="publish"),
    ):
        with pytest.raises(ReviewLocked, match="reopen"):
            attempt()


def test_deleted_reviews_leave_the_library_and_come_back(store, review_id):
    store.delete_review(review_id)
    assert store.list_reviews() == [] and store.count_reviews() == 0
    with pytest.raises(NotFound):
        store.review(review_id)
    store.restore_review(review_id)
    assert [r.id for r in store.list_reviews()] == [review_id]


def test_library_filters_by_status_and_pages(store):
    ids = [store.add_article(make_draft([f"Paragraph {i}."], title=f"T{i}")) for i in range(5)]
    store.add_claim_by_quote(ids[0], "Paragraph 0")
    assert [r.id for r in store.list_reviews(status="in-review")] == [ids[0]]
    assert store.count_reviews(status="draft") == 4
    page = store.list_reviews(limit=2, offset=2)
    assert len(page) == 2


def test_every_write_is_logged_as_an_event(store, review_id):
    claim = store.add_claim_by_quote(review_id, "99.9% reliability")
    store.update_claim(claim.id, status="verified")
    actions = [e["action"] for e in store.events(review_id)]
    assert actions == ["import", "claim-add", "claim-set"]


# ---------------------------------------------------------------- migrations
def test_a_database_from_a_newer_app_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    before = file_digest(path)
    with pytest.raises(DatabaseError, match="newer reviewapp"):
        ReviewStore(path)
    assert file_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.db"]


def test_an_older_database_is_copied_aside_before_it_is_migrated(tmp_path, monkeypatch):
    from reviewapp.store import database

    path = tmp_path / "old.db"
    with ReviewStore(path) as s:
        rid = s.add_article(make_draft(PARAS))
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, "CREATE TABLE later (x);"])
    monkeypatch.setattr(database, "LATEST", LATEST + 1)
    with ReviewStore(path) as s:
        assert s.review(rid).id == rid
    backups = list(tmp_path.glob(f"old.db.v{LATEST}-*.bak"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert copy.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 200)
    before = file_digest(path)
    with pytest.raises(DatabaseError, match=r"not a reviewapp database|cannot open"):
        ReviewStore(path)
    assert file_digest(path) == before


def test_reopening_keeps_everything(db_path):
    with ReviewStore(db_path) as s:
        rid = s.add_article(make_draft(PARAS))
        s.add_claim_by_quote(rid, "99.9% reliability", note="check the SLA")
    with ReviewStore(db_path) as s:
        assert s.claims(rid)[0].note == "check the SLA"
        assert not list(db_path.parent.glob("*.bak"))  # no migration on a current file


def test_signoff_records_cannot_be_altered(store, review_id):
    record = Signoff(0, review_id, 1, "Ada", "", "SHA256:x", b"# signed", "sig", "now")
    store.insert_signoff(record, public_key="ssh-ed25519 AAAA")
    with raw_db(store.path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            conn.execute("UPDATE signoffs SET markdown = ?", [b"# forged"])
        conn.execute("UPDATE signoffs SET superseded_at = 'later'")  # history may be marked
