"""Numbered schema migrations. Each runs in one transaction; PRAGMA user_version records them."""

from __future__ import annotations

from reviewapp.core.stableids import IdKind, sql_new_stable_id

SCHEMA_1 = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX articles_canonical_url ON articles(canonical_url);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    blocks TEXT NOT NULL,
    raw BLOB NOT NULL,
    raw_type TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    site TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL,
    importer TEXT NOT NULL,
    UNIQUE (article_id, number)
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision_id INTEGER NOT NULL REFERENCES revisions(id),
    reviewer TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in-review', 'signed-off')),
    verdict TEXT NOT NULL DEFAULT '',
    deleted_at TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX reviews_updated ON reviews(updated_at);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    revision_id INTEGER NOT NULL REFERENCES revisions(id),
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start INTEGER,
    "end" INTEGER,
    status TEXT NOT NULL DEFAULT 'unchecked',
    note TEXT NOT NULL DEFAULT '',
    correction TEXT NOT NULL DEFAULT '',
    anchor_state TEXT NOT NULL DEFAULT 'anchored',
    anchor_score REAL,
    previous_quote TEXT NOT NULL DEFAULT '',
    source_override TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX claims_review ON claims(review_id, start);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    accessed_at TEXT NOT NULL DEFAULT '',
    archive_url TEXT NOT NULL DEFAULT '',
    archive_date TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'other',
    credibility TEXT NOT NULL DEFAULT 'undetermined',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sources_review ON sources(review_id);

CREATE TABLE claim_sources (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    PRIMARY KEY (claim_id, source_id)
);
CREATE INDEX claim_sources_source ON claim_sources(source_id);

CREATE TABLE takeaways (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'summary',
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX takeaways_review ON takeaways(review_id, position);

CREATE TABLE reviewers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL DEFAULT '',
    public_key TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE signoffs (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    revision_id INTEGER NOT NULL REFERENCES revisions(id),
    reviewer TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    public_key TEXT NOT NULL,
    markdown BLOB NOT NULL,
    signature TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    superseded_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signoffs_review ON signoffs(review_id);
-- A sign-off record is evidence: its signed bytes never change once written.
CREATE TRIGGER signoffs_immutable BEFORE UPDATE OF markdown, signature, reviewer, fingerprint,
    public_key, signed_at, review_id, revision_id ON signoffs
BEGIN
    SELECT RAISE(ABORT, 'sign-off records are immutable');
END;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    review_id INTEGER,
    at TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_review ON events(review_id);

CREATE VIRTUAL TABLE search_index USING fts5(
    review_id UNINDEXED, kind UNINDEXED, row_id UNINDEXED, body,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

# Each trigger keeps search_index in step with one table, so search never goes stale.
# Each indexed row's FTS rowid is its own id * 4 + a code per kind, so the triggers below find
# the entry to replace by rowid (an index lookup) instead of scanning the whole index.
_FTS_TABLES = {
    "claims": (
        "claim",
        1,
        "new.quote || ' ' || new.note || ' ' || new.correction",
        "quote, note, correction",
    ),
    "sources": (
        "source",
        2,
        "new.title || ' ' || new.url || ' ' || new.publisher || ' ' || new.author"
        " || ' ' || new.note",
        "title, url, publisher, author, note",
    ),
    "takeaways": ("takeaway", 3, "new.text", "text"),
}
_ARTICLE_CODE = 0


def _fts_triggers() -> str:
    parts = []
    for table, (kind, code, body, columns) in _FTS_TABLES.items():
        old_delete = f"DELETE FROM search_index WHERE rowid = old.id * 4 + {code};"
        insert = (
            f"INSERT INTO search_index (rowid, review_id, kind, row_id, body) "
            f"VALUES (new.id * 4 + {code}, new.review_id, '{kind}', new.id, {body});"
        )
        parts.append(
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {insert} END;\n"
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE OF {columns} ON {table} BEGIN "
            f"{old_delete} {insert} END;\n"
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {old_delete} END;"
        )
    # Article text is indexed per review (the revision the review is on).
    article_insert = (
        "INSERT INTO search_index (rowid, review_id, kind, row_id, body) "
        f"SELECT new.id * 4 + {_ARTICLE_CODE}, new.id, 'article', new.revision_id, "
        "r.title || ' ' || r.site || ' ' || r.text FROM revisions r WHERE r.id = new.revision_id;"
    )
    parts.append(
        f"CREATE TRIGGER reviews_fts_insert AFTER INSERT ON reviews BEGIN {article_insert} END;\n"
        "CREATE TRIGGER reviews_fts_update AFTER UPDATE OF revision_id ON reviews BEGIN "
        f"DELETE FROM search_index WHERE rowid = old.id * 4 + {_ARTICLE_CODE}; "
        f"{article_insert} END;\n"
        "CREATE TRIGGER reviews_fts_delete AFTER DELETE ON reviews BEGIN "
        f"DELETE FROM search_index WHERE rowid = old.id * 4 + {_ARTICLE_CODE}; END;"
    )
    return "\n".join(parts)


# Schema 2: the keys this editor trusts. Only an act of the editor puts a key here: a sign-off on
# this machine ("own") or `reviewapp key trust` ("editor"); an imported bundle never does.
# Existing libraries keep trusting the keys they made themselves: every reviewer key, and the key
# of every sign-off this machine wrote (a "signoff" event names it, and reviews that came from
# an import-bundle were never signed here before that event). Keys that only arrived in
# imported bundles become untrusted.
SCHEMA_2 = """
CREATE TABLE trusted_keys (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    public_key TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('own', 'editor'))
);
INSERT OR IGNORE INTO trusted_keys (fingerprint, public_key, name, email, added_at, origin)
    SELECT fingerprint, public_key, name, email, created_at, 'own' FROM reviewers
    WHERE public_key != '' AND fingerprint != '' ORDER BY id;
INSERT OR IGNORE INTO trusted_keys (fingerprint, public_key, name, email, added_at, origin)
    SELECT s.fingerprint, s.public_key, s.reviewer, s.email, s.signed_at, 'own' FROM signoffs s
    WHERE EXISTS (
        SELECT 1 FROM events e WHERE e.action = 'signoff' AND e.review_id = s.review_id
        AND json_extract(e.detail, '$.signoff_id') = s.id
    ) OR NOT EXISTS (
        SELECT 1 FROM events e WHERE e.action = 'import-bundle' AND e.review_id = s.review_id
    )
    ORDER BY s.id;
"""

# The stance of a claim-source link: what the source says about the claim. Every link made
# before had one meaning, "supports" (the export said so), so existing links keep it. A claim
# whose status its sources contradict may keep that status for a written reason.
STANCE_SCHEMA = """
ALTER TABLE claim_sources ADD COLUMN stance TEXT NOT NULL DEFAULT 'supports'
    CHECK (stance IN ('supports', 'refutes', 'context'));
ALTER TABLE claims ADD COLUMN stance_override TEXT NOT NULL DEFAULT '';
"""


def _stable_ids(table: str, kind: IdKind) -> str:
    """Schema 4 (stable ids) for one table: a stable_id column, filled for every row, unique.

    Forty random bits make two equal ids in one library improbable, not impossible: rows that
    drew an id another row has draw again (three rounds leave a clash about as likely as a
    cosmic ray) before the UNIQUE index is made, and a clash that survives them fails the
    migration, which leaves the file as it was for the next start to try again.
    """
    fresh = sql_new_stable_id(kind)
    redraw = (
        f"UPDATE {table} SET stable_id = {fresh} WHERE stable_id IN "
        f"(SELECT stable_id FROM {table} GROUP BY stable_id HAVING count(*) > 1);\n"
    )
    return (
        f"ALTER TABLE {table} ADD COLUMN stable_id TEXT NOT NULL DEFAULT '';\n"
        f"UPDATE {table} SET stable_id = {fresh};\n"
        + redraw * 3
        + f"CREATE UNIQUE INDEX {table}_stable_id ON {table}(stable_id);\n"
    )


# Schema 4: every claim, source and takeaway gets a stable short id (core/stableids.py) that the
# CLI accepts beside its number and that bundles and W3C exports carry. (Takeaways have had
# created_at and updated_at since schema 1; only the domain object lacked them.)
STABLE_ID_SCHEMA = "".join(
    _stable_ids(table, kind)
    for table, kind in (
        ("claims", IdKind.CLAIM),
        ("sources", IdKind.SOURCE),
        ("takeaways", IdKind.TAKEAWAY),
    )
)

# The signed attestation of a sign-off (a DSSE envelope holding an in-toto statement, written
# beside the Markdown as NAME.intoto.json; docs/attestation.md). It is signed at sign-off, when
# the key is at hand, and kept like the signature: evidence that never changes. Sign-offs made
# before have none (an empty blob) and export no attestation. A superseded sign-off also says
# why (superseded_reason): a reopen's reason, or that a new revision was imported after it, so
# the record itself says that the exemption it evidenced needs a new review of the new text.
ATTESTATION_SCHEMA = """
ALTER TABLE signoffs ADD COLUMN attestation BLOB NOT NULL DEFAULT x'';
ALTER TABLE signoffs ADD COLUMN superseded_reason TEXT NOT NULL DEFAULT '';
CREATE TRIGGER signoffs_attestation_immutable BEFORE UPDATE OF attestation ON signoffs
BEGIN
    SELECT RAISE(ABORT, 'sign-off records are immutable');
END;
"""

# Schema 6: a review records whether and how AI helped write the draft, who holds editorial
# responsibility and what the review covered (core/model.py AiInvolvement,
# EditorialResponsibility, ReviewScope); the library keeps the organisation's defaults for the
# responsibility. Reviews that existed before say so (accountability_recorded = 0): nobody was
# asked, and their records must not read as if "unknown" or "nobody" had been the answer. Their
# sign-offs are untouched, so their signatures stay valid.
ACCOUNTABILITY_SCHEMA = """
ALTER TABLE reviews ADD COLUMN accountability_recorded INTEGER NOT NULL DEFAULT 1;
UPDATE reviews SET accountability_recorded = 0;
ALTER TABLE reviews ADD COLUMN ai_assisted TEXT NOT NULL DEFAULT 'unknown'
    CHECK (ai_assisted IN ('yes', 'no', 'unknown'));
ALTER TABLE reviews ADD COLUMN ai_unknown_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN ai_tools TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN ai_roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE reviews ADD COLUMN ai_role_other TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN ai_source_type TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN ai_disclosure TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN ai_disclosure_start INTEGER;
ALTER TABLE reviews ADD COLUMN ai_disclosure_end INTEGER;
ALTER TABLE reviews ADD COLUMN responsible_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN responsible_role TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN responsible_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN scope_claims_checked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN scope_sources_assessed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN scope_corrections_requested INTEGER NOT NULL DEFAULT 0;
CREATE TABLE library_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# Claim memory: a full-text index of every claim's quote and note (the "Checked before" list
# finds earlier claims through it; core/similarity.py ranks them), and where a claim's check was
# reused from. The index holds no copy of the text (content=claims): triggers keep it in step,
# and 'rebuild' fills it for the claims that exist. The origin is kept as written at reuse time
# (review id, the claim's number then, its stable id, the review's title), so it still reads
# right after the earlier review is renumbered, deleted or the review is moved to another library.
CLAIM_MEMORY_SCHEMA = """
ALTER TABLE claims ADD COLUMN reused_from_review INTEGER;
ALTER TABLE claims ADD COLUMN reused_from_claim INTEGER;
ALTER TABLE claims ADD COLUMN reused_from_id TEXT NOT NULL DEFAULT '';
ALTER TABLE claims ADD COLUMN reused_from_title TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE claim_memory USING fts5(
    quote, note, content = 'claims', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO claim_memory (claim_memory) VALUES ('rebuild');
-- How many claims hold each word: the search looks up its rarest words first.
CREATE VIRTUAL TABLE claim_memory_vocab USING fts5vocab(claim_memory, 'row');
CREATE TRIGGER claims_memory_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claim_memory (rowid, quote, note) VALUES (new.id, new.quote, new.note);
END;
CREATE TRIGGER claims_memory_update AFTER UPDATE OF quote, note ON claims BEGIN
    INSERT INTO claim_memory (claim_memory, rowid, quote, note)
        VALUES ('delete', old.id, old.quote, old.note);
    INSERT INTO claim_memory (rowid, quote, note) VALUES (new.id, new.quote, new.note);
END;
CREATE TRIGGER claims_memory_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claim_memory (claim_memory, rowid, quote, note)
        VALUES ('delete', old.id, old.quote, old.note);
END;
"""

# Check-worthiness suggestions (issue 16, core/coverage.py): the editor's dismissals, per review
# and revision (a new draft carries them to its own rows, so undoing the import finds the old
# ones in place), keyed by the suggestion key with what the machine proposed and who decided
# why and when; a claim remembers the suggestion it was accepted from; a signed-off review
# remembers whether the gate enforced coverage when it was signed (NULL: signed before the
# record carried coverage, whose Markdown must re-render without it).
SUGGESTIONS_SCHEMA = """
CREATE TABLE suggestion_decisions (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    revision_id INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
    suggestion_key TEXT NOT NULL,
    sentence_hash TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    score REAL NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    decision TEXT NOT NULL DEFAULT 'dismissed' CHECK (decision IN ('dismissed')),
    reason TEXT NOT NULL CHECK (trim(reason) != ''),
    reviewer TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL,
    UNIQUE (review_id, revision_id, suggestion_key)
);
ALTER TABLE claims ADD COLUMN suggestion_key TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN coverage_signed INTEGER;
"""

# Captures of sources (issue 17): each is a WARC request + response record, gzip-compressed one
# member a record as in a .warc.gz, with what the signed Markdown lists about it. A capture
# names its source by stable id, not row id: deleting a source and undoing it keeps its
# captures, and a row id a later source reuses never inherits them. Evidence: never updated.
# IF NOT EXISTS: the migration holds whatever ran before it, and again over a library whose
# version number was wound back (tests do that to replay older migrations).
CAPTURES_SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    source_stable_id TEXT NOT NULL,
    url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    captured_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    thin INTEGER NOT NULL DEFAULT 0 CHECK (thin IN (0, 1)),
    record_id TEXT NOT NULL DEFAULT '',
    warc BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS captures_source ON captures(review_id, source_stable_id);
CREATE TRIGGER IF NOT EXISTS captures_immutable BEFORE UPDATE ON captures
BEGIN
    SELECT RAISE(ABORT, 'captures are immutable');
END;
"""

# A second reviewer (issue 18, core/second_review.py): per review, whether the gate requires a
# second review (NULL: the library's setting), and at most one second review on either side: the
# request as sent (or, in the colleague's library, as imported, with the claims it maps), the
# second editor's signed assessment once imported, and the first editor's settlements. Rows are
# keyed by the review, so they go with it. IF NOT EXISTS and no ALTER: the migration holds
# whatever ran before it, and replays over a library whose version number was wound back.
SECOND_REVIEW_SCHEMA = """
CREATE TABLE IF NOT EXISTS second_review_flags (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    required INTEGER NOT NULL CHECK (required IN (0, 1))
);
CREATE TABLE IF NOT EXISTS second_reviews (
    review_id INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('first', 'second')),
    review_uid TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    claim_ids TEXT NOT NULL DEFAULT '[]',
    claim_map TEXT NOT NULL DEFAULT '{}',
    requested_at TEXT NOT NULL,
    requested_by TEXT NOT NULL DEFAULT '',
    requester_key TEXT NOT NULL DEFAULT '',
    assessor TEXT NOT NULL DEFAULT '',
    assessor_email TEXT NOT NULL DEFAULT '',
    assessor_fingerprint TEXT NOT NULL DEFAULT '',
    assessment BLOB,
    assessment_signature TEXT NOT NULL DEFAULT '',
    assessment_sha256 TEXT NOT NULL DEFAULT '',
    assessed_at TEXT NOT NULL DEFAULT '',
    assessment_claims TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS second_review_settlements (
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    claim_stable_id TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL CHECK (trim(note) != ''),
    settled_by TEXT NOT NULL DEFAULT '',
    settled_at TEXT NOT NULL,
    PRIMARY KEY (review_id, claim_stable_id)
);
"""

# Follow-ups of issues 16 and 17, self-contained (only claims and captures must exist).
# claims.author: who made the claim (the editor a dismissal names; "" for claims made before).
# A capture is deleted while its review exists only when a reuse that copied it is undone
# (CaptureStore.discard_capture_copies); the database refuses to delete one of a signed-off
# review, or one whose SHA-256 a sign-off of its review lists (a reopened review keeps what
# it signed). Deleting the review itself still takes its captures: by then the review row is
# gone and the trigger lets the cascade through.
CLAIM_AUTHOR_AND_CAPTURE_GUARD_SCHEMA = """
ALTER TABLE claims ADD COLUMN author TEXT NOT NULL DEFAULT '';
CREATE TRIGGER IF NOT EXISTS captures_kept_when_signed BEFORE DELETE ON captures
WHEN EXISTS (
    SELECT 1 FROM reviews rv WHERE rv.id = OLD.review_id AND (
        rv.status = 'signed-off' OR EXISTS (
            SELECT 1 FROM signoffs so WHERE so.review_id = OLD.review_id
            AND instr(CAST(so.markdown AS TEXT), OLD.sha256) > 0
        )
    )
)
BEGIN
    SELECT RAISE(ABORT, 'a capture of a signed-off review is kept');
END;
"""

# The second reviewer's co-signature of a sign-off, once it came back to this library (a file,
# a bundle, or the shared archive): the signature over the sign-off's very Markdown and who made
# it. Like the sign-off it is evidence: one per sign-off, never edited. IF NOT EXISTS: the
# migration holds whatever ran before it.
COSIGNATURE_SCHEMA = """
CREATE TABLE IF NOT EXISTS signoff_cosignatures (
    signoff_id INTEGER PRIMARY KEY REFERENCES signoffs(id) ON DELETE CASCADE,
    signature TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    signer TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS signoff_cosignatures_immutable BEFORE UPDATE ON signoff_cosignatures
BEGIN
    SELECT RAISE(ABORT, 'co-signatures are immutable');
END;
"""

MIGRATIONS: list[str] = [
    SCHEMA_1 + _fts_triggers(),
    SCHEMA_2,
    STANCE_SCHEMA,
    STABLE_ID_SCHEMA,
    ATTESTATION_SCHEMA,
    ACCOUNTABILITY_SCHEMA,
    CLAIM_MEMORY_SCHEMA,
    SUGGESTIONS_SCHEMA,
    CAPTURES_SCHEMA,
    SECOND_REVIEW_SCHEMA,
    CLAIM_AUTHOR_AND_CAPTURE_GUARD_SCHEMA,
    COSIGNATURE_SCHEMA,
]
LATEST = len(MIGRATIONS)
