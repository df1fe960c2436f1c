"""The Markdown export: structure that no user text can break, front matter, sign-off, bytes."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from reviewapp import __version__
from reviewapp.core.errors import BadInput
from reviewapp.core.model import ArticleMeta, ImportedDraft
from reviewapp.core.text import build_document
from reviewapp.export import FORMATS, export_filename, render
from reviewapp.export.markdown import SignoffBlock, render_markdown
from reviewapp.store import ReviewStore
from tests.conftest import record_accountability
from tests.rawdb import raw_db
from tests.test_export_support import (
    HOSTILE,
    HOSTILE_TITLE,
    MULTILINE_NOTE,
    blockquote_texts,
    build_hostile_review,
    headings,
    inline_text,
    parser,
    read_front_matter,
    section_tokens,
    split_front_matter,
    table_rows,
    walk,
)

SIGNOFF = SignoffBlock(
    reviewer="Ada Editor",
    email="ada@example.org",
    signed_at="2026-11-27T19:03:10Z",
    fingerprint="SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg",
)


@pytest.fixture
def hostile(store: ReviewStore):
    built = build_hostile_review(store)
    return built, store.load_review(built.review_id)


def _parse(markdown: str):
    _, body = split_front_matter(markdown)
    return parser().parse(body)


def test_headings_are_exactly_the_sections_and_one_per_claim(hostile):
    built, data = hostile
    tokens = _parse(render_markdown(data))
    expected = [
        (1, "Review: " + " ".join(HOSTILE_TITLE.split("\n"))),
        (2, "Verdict"),
        (2, "AI involvement and editorial responsibility"),
        (2, "Takeaways"),
        (2, "Corrections for the writer"),
        (2, "Claims"),
        (2, "Claim details"),
        *((3, f"Claim {n}") for n in range(1, len(built.quotes) + 1)),
        (2, "Check-worthy sentences"),
        (2, "Sources"),
        (2, "Sign-off"),
    ]
    assert headings(tokens) == expected


def test_claims_table_has_one_row_of_four_cells_per_claim_with_its_number(hostile):
    built, data = hostile
    rows = table_rows(_parse(render_markdown(data)))
    assert [row[0] for row in rows] == [str(n) for n in range(1, len(built.quotes) + 1)]
    assert all(len(row) == 4 for row in rows)
    # A quote with a paragraph break shows as a line break inside its cell, not a new row.
    assert [row[1] for row in rows] == [q.replace("\n\n", "\n") for q in built.quotes]
    assert rows[0][2] == "False"
    assert rows[0][3] == "[1]"


def test_each_claim_section_holds_exactly_one_blockquote_equal_to_the_quote(hostile):
    built, data = hostile
    tokens = _parse(render_markdown(data))
    for number, quote in enumerate(built.quotes, start=1):
        section = section_tokens(tokens, f"Claim {number}", 3)
        assert blockquote_texts(section) == [quote], f"claim {number}"
    assert any("\n\n" in q for q in built.quotes), "the fixture has a multi-paragraph quote"


def test_no_user_text_becomes_html_a_link_or_an_image(hostile):
    _, data = hostile
    tokens = walk(_parse(render_markdown(data)))
    html = [t.content for t in tokens if t.type in ("html_block", "html_inline")]
    assert not any("<script" in h.lower() or "<!--" in h for h in html)
    allowed = re.compile(r'<a id="(claim|source)-\d+"></a>|<a id="(claim|source)-\d+">|</a>|<br>')
    assert all(allowed.fullmatch(h.strip()) for h in html), html
    assert not [t for t in tokens if t.type in ("html_block", "image", "code_block", "hr")]
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert hrefs and all(str(h).startswith(("#claim-", "#source-", "https://")) for h in hrefs)
    assert not any("javascript" in str(h).lower() for h in hrefs)


def test_hostile_text_reads_back_exactly_as_typed(hostile):
    _, data = hostile
    tokens = _parse(render_markdown(data))
    texts = [inline_text(t) for t in tokens if t.type == "inline"]
    note_lines = "\n".join(line.strip() for line in MULTILINE_NOTE.split("\n") if line.strip())
    assert "Note: " + note_lines in texts
    for hostile_text in HOSTILE:
        assert any(f"note about {hostile_text}\nsecond line {hostile_text}" in t for t in texts)


def test_corrections_list_every_correction_with_its_claim_and_original_words(hostile):
    _, data = hostile
    tokens = _parse(render_markdown(data))
    section = section_tokens(tokens, "Corrections for the writer", 2)
    items = [inline_text(t) for t in section if t.type == "inline"]
    corrected = [c for c in data.claims if c.correction]
    assert len(items) == len(corrected) > 3
    for item, claim in zip(items, corrected, strict=True):
        expected = f"Claim {claim.number}: instead of “{claim.quote}”\nwrite: {claim.correction}"
        assert item == expected
    links = [t.attrs["href"] for t in walk(section) if t.type == "link_open"]
    assert links == [f"#claim-{c.number}" for c in corrected]


def test_sources_are_numbered_with_fields_and_unsafe_urls_are_plain_text(hostile):
    _, data = hostile
    tokens = _parse(render_markdown(data))
    section = section_tokens(tokens, "Sources", 2)
    texts = [inline_text(t) for t in section if t.type == "inline"]
    assert texts[0] == "Report | *2026* <script>x</script>"
    assert "Publisher: Publisher # One" in texts
    assert "Author: - Author" in texts
    assert (
        "Archived copy: https://web.archive.org/web/20260101120000/https://example.org/report "
        "(archived 2026-01-01)"
    ) in texts
    assert "Kind: Primary document" in texts and "Credibility: Credible" in texts
    assert "URL: https://evil.example/a b)<script>alert(1)</script>" in texts
    hrefs = [t.attrs["href"] for t in walk(section) if t.type == "link_open"]
    assert "https://example.org/report?a=1&b=%282%29" in hrefs
    assert not any("evil.example" in str(h) for h in hrefs)
    assert "Only a title, no URL" in texts


def test_front_matter_parses_to_the_review_values(hostile):
    _, data = hostile
    front, _ = split_front_matter(render_markdown(data))
    values = read_front_matter(front)
    assert values == {
        "title": HOSTILE_TITLE,
        "url": "javascript:alert(document.cookie)",
        "content_sha256": data.revision.content_hash,
        "review_id": data.review.id,
        "reviewer": "Ada <ada@example.org> | *Editor*",
        "reviewer_email": "",
        "status": "in-review",
        "verdict": "publish-with-corrections",
        "signed_at": "",
        "key_fingerprint": "",
        "app_version": __version__,
        "generator": f"reviewapp {__version__}",
        # Nobody answered yet: unknown, no holder, nothing attested.
        "ai_assisted": "unknown",
        **dict.fromkeys(
            ("ai_unknown_reason", "ai_tools", "ai_roles", "ai_role_other", "ai_source_type"),
            "",
        ),
        **dict.fromkeys(("ai_source_type_uri", "ai_disclosure"), ""),
        **dict.fromkeys(
            ("responsibility_holder", "responsibility_role", "responsibility_contact"), ""
        ),
        **dict.fromkeys(
            ("scope_claims_checked", "scope_sources_assessed", "scope_corrections_requested"),
            "no",
        ),
        # check-worthiness suggestions (issue 16): every one covered by the hostile claims
        "checkworthy_suggestions": "made",
        "checkworthy_examined": 5,
        "checkworthy_total": 5,
        "checkworthy_dismissed": 0,
        "checkworthy_threshold": "0.4",
        "checkworthy_coverage_enforced": "yes",
    }


def test_front_matter_survives_quotes_controls_and_line_separators(store, draft_factory):
    nasty = 'a: "b"\n---\r\n\\ \t\x07 \u2028 \u2029 \ufeff end'
    review_id = store.add_article(draft_factory(["Some text here."], title="T"))
    # set_review refuses control characters now; a library written before that may hold them.
    with raw_db(store.path) as conn:
        conn.execute("UPDATE reviews SET reviewer = ? WHERE id = ?", [nasty, review_id])
    markdown = render_markdown(store.load_review(review_id))
    front, _ = split_front_matter(markdown)
    assert len(front.split("\n")) == 32
    assert read_front_matter(front)["reviewer"] == nasty.strip()


def test_signed_front_matter_takes_status_time_and_key_from_the_signoff(hostile):
    _, data = hostile
    front, _ = split_front_matter(render_markdown(data, SIGNOFF))
    values = read_front_matter(front)
    assert values["status"] == "signed-off"
    assert values["signed_at"] == "2026-11-27T19:03:10Z"
    assert values["key_fingerprint"] == SIGNOFF.fingerprint
    assert values["reviewer"] == "Ada Editor"
    assert values["reviewer_email"] == "ada@example.org"


def test_unsigned_review_says_plainly_it_is_not_signed_off(hostile):
    _, data = hostile
    tokens = _parse(render_markdown(data))
    text = " ".join(inline_text(t) for t in section_tokens(tokens, "Sign-off", 2) if t.children)
    assert "This review is NOT signed off yet." in text
    assert "ssh-keygen" not in render_markdown(data)


def test_signoff_block_names_reviewer_time_key_hash_and_verify_commands(hostile):
    _, data = hostile
    markdown = render_markdown(data, SIGNOFF)
    block = markdown[markdown.index("## Sign-off") :]
    assert block == (
        "## Sign-off\n\n"
        "Signed off by Ada Editor (ada@example.org) on 2026-11-27T19:03:10Z, who takes "
        "editorial responsibility for this review.\n\n"
        "- **Reviewer:** Ada Editor (ada@example.org)\n"
        "- **Signed at (UTC):** 2026-11-27T19:03:10Z\n"
        f"- **Key fingerprint:** `{SIGNOFF.fingerprint}`\n"
        f"- **Article content hash (SHA-256):** `{data.revision.content_hash}`\n\n"
        "Verify this file and its signature (the file of the same name with `.sig` added) with "
        "reviewapp, writing this file's own name where the commands say `THIS-FILE.md`:\n\n"
        "```sh\nreviewapp verify THIS-FILE.md\n```\n\n"
        "or with OpenSSH alone, where `allowed_signers` holds the reviewer's public key "
        "(`reviewapp key export` prints that line):\n\n"
        "```sh\nssh-keygen -Y verify -f allowed_signers -I ada@example.org -n reviewapp "
        "-s THIS-FILE.md.sig < THIS-FILE.md\n```\n"
    )


def test_verify_commands_quote_a_hostile_signer_for_the_shell(hostile):
    _, data = hostile
    block = SignoffBlock(
        "Eve", "eve@x.org; rm -rf ~ `id`", "2026-11-27T19:03:10Z", "SHA256:abc", "my review.md"
    )
    tokens = _parse(render_markdown(data, block))
    fences = [t.content for t in tokens if t.type == "fence"]
    assert fences == [
        "reviewapp verify 'my review.md'\n",
        "ssh-keygen -Y verify -f allowed_signers -I 'eve@x.org; rm -rf ~ `id`' -n reviewapp "
        "-s 'my review.md.sig' < 'my review.md'\n",
    ]


def test_same_data_gives_the_same_bytes_even_after_reopening(hostile, db_path):
    _, data = hostile
    first = render(data, "md")
    assert render(data, "md") == first
    with ReviewStore(db_path) as reopened:
        again = render(reopened.load_review(data.review.id), "md")
    assert again == first
    assert first.endswith(b"\n") and not first.endswith(b"\n\n")
    assert b"\r" not in first
    assert render_markdown(data, SIGNOFF) == render_markdown(data, SIGNOFF)


def test_empty_review_still_has_every_section_and_says_what_is_missing(store, draft_factory):
    review_id = store.add_article(draft_factory(["Nothing checked yet."], title="Quiet"))
    markdown = render_markdown(store.load_review(review_id))
    tokens = _parse(markdown)
    assert [h for _, h in headings(tokens)] == [
        "Review: Quiet",
        "Verdict",
        "AI involvement and editorial responsibility",
        "Takeaways",
        "Corrections for the writer",
        "Claims",
        "Check-worthy sentences",
        "Sources",
        "Sign-off",
    ]
    for phrase in (
        "0 of 0 check-worthy sentences examined",
        "No verdict yet.",
        "No takeaways.",
        "No corrections.",
        "No claims.",
        "No sources.",
        "NOT signed off yet",
    ):
        assert phrase in markdown


def test_article_link_only_for_http_urls(store):
    doc = build_document([("paragraph", "Body text.")])
    meta = ArticleMeta(title="Linked", url="https://news.example/story?id=1", canonical_url="")
    review_id = store.add_article(ImportedDraft(doc, meta, b"x", "text/plain", "test", "t"))
    tokens = walk(_parse(render_markdown(store.load_review(review_id))))
    assert [t.attrs["href"] for t in tokens if t.type == "link_open"] == [
        "https://news.example/story?id=1"
    ]


def test_unknown_format_is_refused_with_the_known_ones_listed(hostile):
    _, data = hostile
    with pytest.raises(BadInput, match="unknown export format 'pdf'; choose one of: md, json"):
        render(data, "pdf")
    with pytest.raises(BadInput, match="w3c, claimreview, csv"):
        export_filename(data, "docx")


def test_export_filenames_are_safe_stable_and_differ_per_format(hostile, store, draft_factory):
    _, data = hostile
    names = {fmt: export_filename(data, fmt) for fmt in FORMATS}
    stem = f"review-{data.review.id}-a-title-with-and-newline-script-x-script-pipe"
    assert names["md"] == f"{stem}.md"
    assert len(set(names.values())) == len(FORMATS)
    assert all(re.fullmatch(r"[a-z0-9.-]+", n) and len(n) <= 90 for n in names.values())
    review_id = store.add_article(draft_factory(["Text."], title="Über 😀 ../../etc/passwd"))
    assert export_filename(store.load_review(review_id), "md") == (
        f"review-{review_id}-uber-etc-passwd.md"
    )
    untitled = store.add_article(draft_factory(["Text."], title="😀"))
    assert export_filename(store.load_review(untitled), "csv") == f"review-{untitled}.csv"


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs OpenSSH's ssh-keygen")
def test_the_printed_openssh_command_verifies_a_real_signoff(store, draft_factory, tmp_path):
    from reviewapp.export.files import export_review
    from reviewapp.secrets import MemorySecretStore
    from reviewapp.workflows.signoff import sign_off

    review_id = store.add_article(draft_factory(["The firm has 12 staff | *today*."], title="T"))
    claim = store.add_claim_by_quote(review_id, "12 staff", status="verified", note="> checked")
    store.add_source(review_id, claim_ids=[claim.id], url="https://registry.example/firm")
    store.set_review(review_id, verdict="publish")
    record_accountability(store, review_id)
    signoff = sign_off(
        store,
        review_id,
        "Ada Editor",
        "ada@example.org",
        secrets=MemorySecretStore(),
        now="2026-11-27T19:03:10Z",
    )
    data = store.load_review(review_id)
    markdown = signoff.markdown.decode()
    assert read_front_matter(split_front_matter(markdown)[0])["status"] == "signed-off"
    name = "amazon-review.md"  # saved under a name of the editor's, not the default one
    export_review(data, "md", tmp_path / name)
    key = store.reviewer_by_name("Ada Editor")
    assert key is not None
    (tmp_path / "allowed_signers").write_text(
        f'ada@example.org namespaces="reviewapp" {key.public_key}\n'
    )
    fences = [
        t.content.replace("THIS-FILE.md", name) for t in _parse(markdown) if t.type == "fence"
    ]
    assert fences[0] == f"reviewapp verify {name}\n"
    result = subprocess.run(fences[1], shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Good" in result.stdout + result.stderr
    (tmp_path / name).write_bytes(signoff.markdown.replace(b"12 staff", b"13 staff"))
    tampered = subprocess.run(fences[1], shell=True, cwd=tmp_path, capture_output=True)
    assert tampered.returncode != 0


def test_takeaways_read_back_in_order_with_their_kind(hostile):
    _, data = hostile
    tokens = _parse(render_markdown(data))
    section = section_tokens(tokens, "Takeaways", 2)
    items = [inline_text(t) for t in section if t.type == "inline"]
    note_lines = "\n".join(line.strip() for line in MULTILINE_NOTE.split("\n") if line.strip())
    assert items == [
        f"Summary: {note_lines}",
        "Concern: --- concern",
        "Follow-up: <!-- follow up -->",
    ]


def test_double_digit_source_numbers_keep_their_fields_nested(store, draft_factory):
    review_id = store.add_article(draft_factory(["Twelve sources back this."]))
    claim = store.add_claim_by_quote(review_id, "Twelve sources", status="verified")
    for n in range(1, 13):
        store.add_source(
            review_id,
            claim_ids=[claim.id],
            url=f"https://s{n}.example/",
            title=f"Source {n}",
            note=f"first\n- second {n}",
        )
    tokens = _parse(render_markdown(store.load_review(review_id)))
    section = section_tokens(tokens, "Sources", 2)
    top_items = [t for t in section if t.type == "list_item_open" and t.level == 1]
    nested_lists = [t for t in section if t.type == "bullet_list_open" and t.level == 2]
    assert len(top_items) == len(nested_lists) == 12
    texts = [inline_text(t) for t in section if t.type == "inline"]
    assert "Note: first\n- second 12" in texts
    row = table_rows(tokens)[0]
    assert row[3] == ", ".join(f"[{n}]" for n in range(1, 13))


def test_claim_details_show_anchor_state_only_when_not_anchored(store, draft_factory):
    from reviewapp.core.anchoring import select

    review_id = store.add_article(draft_factory(["One fact here. Another fact there."]))
    firm = store.add_claim_by_quote(review_id, "One fact", status="verified")
    loose = store.add_claim_by_quote(review_id, "Another fact", status="verified")
    text = store.revision(store.review(review_id).revision_id).text
    start = text.index("Another fact")
    store.reanchor_claim(
        loose.id,
        select(text, start, start + len("Another fact")),
        "needs-confirmation",
        loose.revision_id,
        score=0.6,
        previous_quote="Another old fact",
    )
    tokens = _parse(render_markdown(store.load_review(review_id)))
    firm_texts = [inline_text(t) for t in section_tokens(tokens, "Claim 1", 3) if t.children]
    loose_texts = [inline_text(t) for t in section_tokens(tokens, "Claim 2", 3) if t.children]
    assert firm.number == 1 and not any(t.startswith("Anchor:") for t in firm_texts)
    assert "Anchor: Needs confirmation" in loose_texts
    assert "Earlier wording: Another old fact" in loose_texts
