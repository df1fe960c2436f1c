"""Persistence: one SQLite file per library, through sqlite-utils.

``ReviewStore`` is the whole public face; every write runs in one transaction (``transaction``
joins nested calls), and ``store/rows.py`` maps each table's rows to the domain objects.

- Library: ``close``, ``transaction``, ``snapshot`` (reads that see one state of the file),
  ``damage``, ``schema_version``, ``data_version``, ``is_empty``, ``is_whole``, ``log_event``,
  ``events``. ``ReviewStore(path, reader=True)``: a read-only second connection for a
  background thread of a process that has already opened the library.
- Articles and revisions: ``add_article``, ``add_revision`` (a newer draft, claims placed),
  ``revision``, ``revisions``, ``raw_source``, ``review_with_canonical_url``.
- Reviews: ``review``, ``load_review``, ``set_review``, ``set_status``, ``delete_review``,
  ``restore_review``, ``list_reviews``, ``count_reviews``, ``search``,
  ``undo_revision_import``.
- Claims: ``claims``, ``claim``, ``claim_by_id``, ``add_claim``, ``add_claim_at``,
  ``add_claim_by_quote``, ``add_claims`` (a batch of ``NewClaim``, all or none),
  ``update_claim``, ``delete_claim``, ``restore_claim`` (each returns the claim as written,
  numbered by counting the claims before it, without re-reading the review),
  ``reanchor_claim``, ``move_claim``, ``claim_places``,
  ``restore_claim_places``.
- Sources: ``sources``, ``source``, ``add_source``, ``update_source``, ``delete_source``,
  ``restore_source``, ``link`` (with a stance: supports, refutes, context; linking again
  changes it), ``unlink``.
- Takeaways: ``takeaways``, ``takeaway``, ``add_takeaway``, ``update_takeaway``,
  ``move_takeaway``, ``delete_takeaway``, ``restore_takeaway``.
- Sign-offs and keys: ``signoffs`` (each with its second reviewer's co-signature, if it came
  back), ``signoff_for_markdown``, ``insert_signoff``, ``record_cosignature``,
  ``supersede_current``, ``reviewer_by_name``, ``reviewer_by_email``, ``reviewers``,
  ``save_reviewer_key``, ``trusted_keys``, ``trusted_key``, ``trust_key``, ``untrust_key``.
- Stable ids (``c-7k3m9q2a``, given to every claim, source and takeaway on insert):
  ``stable_id_owner``, ``taken_stable_ids``.
- AI involvement, editorial responsibility, review scope: ``accountability``,
  ``set_accountability``; the library's defaults for the responsibility:
  ``organisation_defaults``, ``set_organisation_defaults`` (new reviews start with them).
- Check-worthiness suggestions: ``dismissals``, ``dismiss``, ``undismiss``,
  ``add_suggested_claim``, ``carry_dismissals``, ``suggestion_record``,
  ``record_coverage_signed``; the library's setting ``coverage_enforced``,
  ``set_coverage_enforced``.
- Copies from other libraries (bundles, the shared archive): ``find_copy``, ``add_copy``,
  ``signed_off_identities``, ``current_signatures``.
- Second review (``store/second_review.py``): ``second_review``, ``second_review_row``,
  ``second_copy_of``, ``reviews_assessed_by``, ``second_reviews_pending``,
  ``signed_off_without_cosignature``, ``record_second_request``, ``record_second_assessment``,
  ``settle_second_review``, ``second_review_required``, ``set_second_review_required``; the
  library's setting ``second_review_default``, ``set_second_review_default``.
- Claim memory (``store/memory.py``): ``memory_candidates`` (earlier claims sharing words,
  from the ``claim_memory`` index), ``earlier_claims`` (their checks), ``record_reuse``.
- Captures of sources (WARC bytes, never parsed here): ``captures``, ``source_captures``,
  ``capture``, ``capture_record``, ``capture_records``, ``add_capture``, ``import_captures``,
  ``copy_captures`` (reusing an earlier check carries its captures), ``discard_capture_copies``
  (undoing that reuse takes them back; the one path that deletes a capture of a live review).

Operations that also render, sign or verify live in ``reviewapp.workflows``.
"""

from reviewapp.store.claims import NewClaim
from reviewapp.store.database import default_db_path, open_database
from reviewapp.store.reviews import ReviewStore

__all__ = ["NewClaim", "ReviewStore", "default_db_path", "open_database"]
