"""The Markdown export: the document an editor signs and anyone can read and verify."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from reviewapp import APP_NAME, __version__
from reviewapp.core import scales
from reviewapp.core.model import Claim, ReviewData, Source
from reviewapp.core.states import AnchorState, ReviewStatus, Stance
from reviewapp.export import accountability, second_review
from reviewapp.export import coverage as coverage_record
from reviewapp.export import mdtext as md
from reviewapp.export.common import (
    article_title,
    article_url,
    claim_sources,
    generator,
)
from reviewapp.export.frontmatter import front_matter

SIGNATURE_NAMESPACE = "reviewapp"


@dataclass(frozen=True)
class SignoffBlock:
    """What the sign-off section says when the review is being signed."""

    reviewer: str
    email: str
    signed_at: str  # ISO 8601 UTC, e.g. "2026-11-27T19:03:10Z"
    fingerprint: str  # "SHA256:..."
    # Reviews signed so far named one file in their verify commands ("review-12.md"), which
    # was wrong as soon as the editor saved it under another name; new sign-offs leave this
    # empty and say THIS-FILE.md. Kept so a bundle signed the old way still re-renders
    # byte for byte (workflows/bundles.py).
    export_name: str = ""


# What the verify commands say in place of the file's name: any name the file is saved under.
THIS_FILE = "THIS-FILE.md"


def render_markdown(
    data: ReviewData, signoff: SignoffBlock | None = None, app_version: str = __version__
) -> str:
    """The review as Markdown; the same data (and sign-off) always gives the same text."""
    sections = [
        _front_matter(data, signoff, app_version),
        *_header(data, signoff),
        *_verdict(data),
        *_accountability(data, signoff),
        *_takeaways(data),
        *_corrections(data),
        *_claims_table(data),
        *_claim_details(data),
        *coverage_record.markdown_section(data),
        *_sources(data),
        *_captures(data),
        *second_review.markdown_section(data),
        *_signoff(data, signoff),
    ]
    return "\n\n".join(sections) + "\n"


# ---------------------------------------------------------------------- front matter and header
def _front_matter(data: ReviewData, signoff: SignoffBlock | None, app_version: str) -> str:
    review = data.review
    return front_matter(
        [
            ("title", article_title(data)),
            ("url", article_url(data)),
            ("content_sha256", data.revision.content_hash),
            ("review_id", review.id),
            ("reviewer", signoff.reviewer if signoff else review.reviewer),
            ("reviewer_email", signoff.email if signoff else ""),
            ("status", ReviewStatus.SIGNED_OFF if signoff else review.status),
            ("verdict", review.verdict),
            ("signed_at", signoff.signed_at if signoff else ""),
            ("key_fingerprint", signoff.fingerprint if signoff else ""),
            ("app_version", app_version),
            ("generator", generator(app_version)),
            *accountability.front_matter_fields(data),
            *coverage_record.front_matter_fields(data),
        ]
    )


def _header(data: ReviewData, signoff: SignoffBlock | None) -> list[str]:
    meta = data.revision.meta
    reviewer = signoff.reviewer if signoff else data.review.reviewer
    status = ReviewStatus.SIGNED_OFF if signoff else data.review.status
    facts = [
        ("Article", md.link(article_title(data), article_url(data)) if article_url(data) else ""),
        ("Site", md.inline(meta.site)),
        ("Authors", md.inline(", ".join(meta.authors))),
        ("Published", md.inline(meta.published)),
        ("Revision", f"{data.revision.number} (imported {md.inline(data.revision.imported_at)})"),
        ("Content hash (SHA-256)", md.code_span(data.revision.content_hash)),
        ("Reviewer", md.inline(reviewer) if reviewer.strip() else "not named yet"),
        ("Review status", md.inline(scales.REVIEW_STATUSES.get(status, status))),
    ]
    return [f"# Review: {md.inline(article_title(data))}", _field_list(facts)]


def _field_list(facts: list[tuple[str, str]], indent: str = "") -> str:
    """A bullet list of "**Label:** value" lines, skipping empty values."""
    return "\n".join(f"{indent}- **{label}:** {value}" for label, value in facts if value)


# ---------------------------------------------------------------------- verdict and takeaways
def _verdict(data: ReviewData) -> list[str]:
    verdict = data.review.verdict
    if not verdict:
        return ["## Verdict", "No verdict yet."]
    return ["## Verdict", f"**{md.inline(scales.VERDICTS.get(verdict, verdict))}**"]


def _accountability(data: ReviewData, signoff: SignoffBlock | None) -> list[str]:
    # A review signed before these were recorded re-renders as it was signed (a bundle's
    # sign-off is checked byte for byte), so it has no such section; unsigned, it says so.
    if signoff is not None and not data.accountability_recorded:
        return []
    return accountability.markdown_section(data)


def _takeaways(data: ReviewData) -> list[str]:
    if not data.takeaways:
        return ["## Takeaways", "No takeaways."]
    items = []
    for n, takeaway in enumerate(data.takeaways, start=1):
        marker = f"{n}. "
        kind = scales.TAKEAWAY_KINDS.get(takeaway.kind, takeaway.kind)
        body = md.multiline(takeaway.text, " " * len(marker))
        items.append(f"{marker}**{md.inline(kind)}:** {body}")
    return ["## Takeaways", "\n".join(items)]


# ---------------------------------------------------------------------- corrections and claims
def _claim_link(number: int) -> str:
    return f"[Claim {number}](#claim-{number})"


def _corrections(data: ReviewData) -> list[str]:
    corrected = [c for c in data.claims if c.correction.strip()]
    if not corrected:
        return ["## Corrections for the writer", "No corrections."]
    items = []
    for n, claim in enumerate(corrected, start=1):
        marker = f"{n}. "
        indent = " " * len(marker)
        items.append(
            f"{marker}{_claim_link(claim.number)}: instead of “{md.inline(claim.quote)}”\\\n"
            f"{indent}write: {md.multiline(claim.correction, indent)}"
        )
    return ["## Corrections for the writer", "\n".join(items)]


def _status_label(claim: Claim) -> str:
    status = scales.CLAIM_STATUS.get(claim.status)
    return status.label if status else claim.status


def _source_ref(n: int) -> str:
    return f"[\\[{n}\\]](#source-{n})"


def _source_refs(data: ReviewData, claim: Claim) -> str:
    """The claim's sources by number: the supporting ones plain (a link said "supports" before
    links had a stance), then "refutes: [2]" and "context: [3]"."""
    groups = []
    for stance in Stance:
        refs = ", ".join(
            _source_ref(n)
            for n, source in claim_sources(data, claim)
            if claim.stance_of(source.id) == stance
        )
        if refs:
            groups.append(refs if stance == Stance.SUPPORTS else f"{stance}: {refs}")
    return "; ".join(groups)


def _claims_table(data: ReviewData) -> list[str]:
    if not data.claims:
        return ["## Claims", "No claims."]
    rows = ["| # | Quote | Status | Sources |", "| ---: | --- | --- | --- |"]
    for claim in data.claims:
        reason = claim.source_override.strip()
        refs = _source_refs(data, claim) or (
            md.cell(f"no source needed: {reason}") if reason else ""
        )
        rows.append(
            f"| [{claim.number}](#claim-{claim.number}) | {md.cell(claim.quote)} "
            f"| {md.cell(_status_label(claim))} | {refs} |"
        )
    return ["## Claims", "\n".join(rows)]


def _blockquote(text: str) -> str:
    """Quoted article text; paragraphs (blank-line separated) stay paragraphs."""
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "\n>\n".join("> " + md.multiline(p, "> ") for p in paragraphs) or "> (empty)"


def _reused_from(claim: Claim) -> str:
    """Where the claim's check was reused from ("Checked before"): "" for none."""
    origin = claim.reused_from
    if origin is None:
        return ""
    title = f", “{md.inline(origin.review_title)}”" if origin.review_title else ""
    return md.inline(origin.label()) + title


def _claim_details(data: ReviewData) -> list[str]:
    if not data.claims:
        return []
    out = ["## Claim details"]
    for claim in data.claims:
        anchor = ""
        if claim.anchor_state != AnchorState.ANCHORED:
            anchor = md.inline(scales.ANCHOR_STATES.get(claim.anchor_state, claim.anchor_state))
        sources = {
            stance: ", ".join(
                f"{_source_ref(n)} {md.inline(_source_name(source))}"
                for n, source in claim_sources(data, claim)
                if claim.stance_of(source.id) == stance
            )
            for stance in Stance
        }
        facts = [
            ("Status", md.inline(_status_label(claim))),
            ("Origin", coverage_record.SUGGESTED_NOTE if claim.suggestion_key else ""),
            ("Anchor", anchor),
            ("Earlier wording", md.inline(claim.previous_quote)),
            ("Note", md.multiline(claim.note, "  ")),
            ("Correction", md.multiline(claim.correction, "  ")),
            ("Supported by", sources[Stance.SUPPORTS]),
            ("Refuted by", sources[Stance.REFUTES]),
            ("Context from", sources[Stance.CONTEXT]),
            ("No source needed because", md.multiline(claim.source_override, "  ")),
            ("Status kept against its sources because", md.multiline(claim.stance_override, "  ")),
            ("Reused from", _reused_from(claim)),
        ]
        out += [
            f'### <a id="claim-{claim.number}"></a>Claim {claim.number}',
            _blockquote(claim.quote),
            _field_list(facts),
        ]
    return out


# ---------------------------------------------------------------------- sources
def _source_name(source: Source) -> str:
    return source.title.strip() or source.url.strip() or "Untitled source"


def _source_item(data: ReviewData, n: int, source: Source) -> str:
    marker = f"{n}. "
    indent = " " * len(marker)
    numbers = data.claim_number_by_id()
    claims = {
        stance: ", ".join(
            _claim_link(c)
            for c in sorted(
                numbers[i]
                for i in source.claim_ids
                if i in numbers and source.stance_of(i) == stance
            )
        )
        for stance in Stance
    }
    archived = ""
    if source.archive_url.strip():
        archived = md.url_text(source.archive_url)
        if source.archive_date.strip():
            archived += f" (archived {md.inline(source.archive_date)})"
    elif source.archive_date.strip():
        archived = f"archived {md.inline(source.archive_date)}"
    facts = [
        ("URL", md.url_text(source.url) if source.url.strip() else ""),
        ("Publisher", md.inline(source.publisher)),
        ("Author", md.inline(source.author)),
        ("Published", md.inline(source.published)),
        ("Accessed", md.inline(source.accessed_at)),
        ("Archived copy", archived),
        ("Kind", md.inline(scales.SOURCE_KINDS.get(source.kind, source.kind))),
        ("Credibility", md.inline(scales.CREDIBILITY.get(source.credibility, source.credibility))),
        ("Note", md.multiline(source.note, indent + "  ")),
        # "Supports: Claim 1", "Refutes: Claim 2", "Context for: Claim 3"
        *((scales.STANCES[stance], claims[stance]) for stance in Stance),
    ]
    head = f'{marker}<a id="source-{n}"></a>**{md.inline(_source_name(source))}**'
    return head + "\n" + _field_list(facts, indent)


def _sources(data: ReviewData) -> list[str]:
    if not data.sources:
        return ["## Sources", "No sources."]
    items = [_source_item(data, n, s) for n, s in enumerate(data.sources, start=1)]
    return ["## Sources", "\n".join(items)]


# ---------------------------------------------------------------------- captures
CAPTURES_HEADING = "## Captures"
CAPTURE_HASH_LABEL = "SHA-256 of the body as received"


def _captures(data: ReviewData) -> list[str]:
    # No section at all without captures: reviews signed before captures existed re-render
    # byte for byte (a bundle's sign-off is checked that way).
    if not data.captures:
        return []
    numbers = {s.id: n for n, s in enumerate(data.sources, start=1)}
    items = []
    for n, capture in enumerate(data.captures, start=1):
        marker = f"{n}. "
        indent = " " * len(marker)
        number = numbers.get(capture.source_id)
        name = "a removed source"
        if number is not None:
            name = f"[Source {number}](#source-{number})"
        where = md.url_text(capture.final_url)
        if capture.final_url != capture.url:
            where += f" (asked for {md.url_text(capture.url)})"
        kind = md.inline(capture.media_type) if capture.media_type else "no content type"
        facts = [
            ("Captured at (UTC)", md.inline(capture.captured_at)),
            ("Address", where),
            ("Answer", f"HTTP {capture.status}, {kind}, {capture.size:,} bytes"),
            (CAPTURE_HASH_LABEL, md.code_span(capture.sha256)),
            (
                "Flag",
                "thin: almost no text could be read (a login, paywall or block page?)"
                if capture.thin
                else "",
            ),
        ]
        items.append(f"{marker}{name}\n{_field_list(facts, indent)}")
    return [
        CAPTURES_HEADING,
        "Copies of sources as this app fetched them, kept as WARC records "
        f"(`{APP_NAME} export {data.review.id} --format warc` writes them; "
        f"`{APP_NAME} verify THIS-FILE.md --warc FILE.warc.gz` checks them against this list).",
        "\n".join(items),
    ]


def capture_hashes(markdown: str) -> list[str]:
    """The SHA-256 values the Captures section of an exported review lists, in order."""
    lines = markdown.split("\n")
    try:
        start = lines.index(CAPTURES_HEADING)
    except ValueError:
        return []
    found = []
    prefix = f"**{CAPTURE_HASH_LABEL}:** `"
    for line in lines[start + 1 :]:
        if line.startswith("## "):
            break
        text = line.strip()
        if text.startswith("- " + prefix) and text.endswith("`"):
            found.append(text[len(prefix) + 2 : -1])
    return found


# ---------------------------------------------------------------------- sign-off
def verify_commands(signoff: SignoffBlock) -> tuple[str, str]:
    """The reviewapp and the plain OpenSSH command that verify the exported file."""
    name = shlex.quote(signoff.export_name or THIS_FILE)
    signer = shlex.quote(signoff.email.strip() or signoff.reviewer.strip())
    sig = shlex.quote((signoff.export_name or THIS_FILE) + ".sig")
    return (
        f"{APP_NAME} verify {name}",
        f"ssh-keygen -Y verify -f allowed_signers -I {signer} -n {SIGNATURE_NAMESPACE} "
        f"-s {sig} < {name}",
    )


def _verify_intro(signoff: SignoffBlock) -> str:
    if signoff.export_name:  # the wording of reviews signed before THIS-FILE.md
        return (
            f"Verify this file ({md.code_span(signoff.export_name)}) and its signature "
            f"({md.code_span(signoff.export_name + '.sig')}) with reviewapp:"
        )
    return (
        "Verify this file and its signature (the file of the same name with `.sig` added) "
        f"with reviewapp, writing this file's own name where the commands say "
        f"{md.code_span(THIS_FILE)}:"
    )


def _signoff(data: ReviewData, signoff: SignoffBlock | None) -> list[str]:
    if signoff is None and data.review.status == ReviewStatus.SIGNED_OFF:
        return [
            "## Sign-off",
            "This copy carries no signature. The signed copy of this review is the Markdown "
            "file exported together with its `.sig` file.",
        ]
    if signoff is None:
        return [
            "## Sign-off",
            "**This review is NOT signed off yet.** No reviewer has taken editorial "
            "responsibility for it, and this file carries no signature.",
        ]
    who = md.inline(signoff.reviewer)
    if signoff.email.strip():
        who += f" ({md.inline(signoff.email)})"
    facts = [
        ("Reviewer", who),
        ("Signed at (UTC)", md.inline(signoff.signed_at)),
        ("Key fingerprint", md.code_span(signoff.fingerprint)),
        ("Article content hash (SHA-256)", md.code_span(data.revision.content_hash)),
    ]
    ours, openssh = verify_commands(signoff)
    return [
        "## Sign-off",
        f"Signed off by {who} on {md.inline(signoff.signed_at)}, who takes editorial "
        "responsibility for this review.",
        _field_list(facts),
        _verify_intro(signoff),
        md.fenced_block(ours, "sh"),
        "or with OpenSSH alone, where `allowed_signers` holds the reviewer's public key "
        "(`reviewapp key export` prints that line):",
        md.fenced_block(openssh, "sh"),
    ]
