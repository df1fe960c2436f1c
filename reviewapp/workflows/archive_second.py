"""Second reviews in the shared archive: where a request and an assessment live, and what a pull
does with the ones that arrived.

Layout (beside ``reviews/``; see docs/archive.md)::

    second/<review uid>/
        request.json                    the blind request (no status, note or source of anyone)
        addressed-to                    who it is for: one email a line (empty: anyone)
        assessment-<key>.json           a colleague's signed assessment (key: the fingerprint
                                        of the key that signed it, "SHA256:" left off, URL-safe)

The commit trust rule covers these files like every other; on top of it, a pull imports a
request only into a library it is addressed to (a review to assess, as ``second import`` does)
and an assessment only into the library that asked, with every refusal of
``second_review.import_assessment`` (a refused file is named with its commit, nothing of it is
imported, and the working copy stays where it was, so the next pull says it again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewapp.core.errors import BadInput, VerificationFailed
from reviewapp.core.second_review import Role
from reviewapp.export import second_review as second_files
from reviewapp.store import ReviewStore
from reviewapp.workflows import second_review
from reviewapp.workflows.gitrepo import read_objects

if TYPE_CHECKING:  # archive.py imports this module
    from reviewapp.workflows.archive import WorkingCopy

SECOND = "second"
REQUEST = "request.json"
ADDRESSED_TO = "addressed-to"
ASSESSMENT_PREFIX = "assessment-"
_FILE = re.compile(
    r"second/[0-9a-f]{16}/(request\.json|addressed-to|assessment-[A-Za-z0-9_-]+\.json)"
)


def request_path(review_uid: str) -> str:
    return f"{SECOND}/{review_uid}/{REQUEST}"


def addressed_path(review_uid: str) -> str:
    return f"{SECOND}/{review_uid}/{ADDRESSED_TO}"


def assessment_path(review_uid: str, fingerprint: str) -> str:
    """second/<uid>/assessment-<key>.json: one per colleague's key, so two never collide."""
    key = fingerprint.removeprefix("SHA256:").replace("+", "-").replace("/", "_").rstrip("=")
    return f"{SECOND}/{review_uid}/{ASSESSMENT_PREFIX}{key}.json"


@dataclass
class SecondArrivals:
    """What a pull did with the second-review files that arrived."""

    lines: list[str] = field(default_factory=list)  # one per request or assessment imported
    refused: list[str] = field(default_factory=list)


def _identities(store: ReviewStore, copy: WorkingCopy) -> set[str]:
    """Who this library is, for a request's addressee: its reviewers' emails and names, and the
    archive's committer."""
    found = {r.email.lower() for r in store.reviewers() if r.email}
    found |= {r.name.lower() for r in store.reviewers()}
    email = copy.config("user.email")
    return found | ({email.lower()} if email else set())


def _changed(copy: WorkingCopy, local: str | None, tip: str) -> list[str]:
    if local is None:
        out = copy.git("ls-tree", "-r", "--name-only", "-z", tip, "--", SECOND).stdout
    else:
        out = copy.git("diff", "--name-only", "-z", local, tip, "--", SECOND).stdout
    return [p.decode("utf-8", errors="replace") for p in out.split(b"\0") if p]


def _last_commits(copy: WorkingCopy, local: str | None, tip: str) -> dict[str, str]:
    """File -> the newest of the new commits that changed it (for messages)."""
    span = f"{local}..{tip}" if local else tip
    out = copy.git("log", "--format=commit %H", "--name-only", span, "--", SECOND).text
    newest: dict[str, str] = {}
    commit = tip
    for line in out.splitlines():
        if line.startswith("commit "):
            commit = line[len("commit ") :].strip()
        elif line:
            newest.setdefault(line, commit)
    return newest


def pull_second(
    store: ReviewStore, copy: WorkingCopy, local: str | None, tip: str
) -> SecondArrivals:
    """Import the requests addressed to this library and the assessments of its requests that
    the new commits brought (the commits are verified already)."""
    arrivals = SecondArrivals()
    changed = _changed(copy, local, tip)
    if not changed:
        return arrivals
    commits = _last_commits(copy, local, tip)
    wanted = [p for p in changed if _FILE.fullmatch(p)]
    for path in changed:
        if path not in wanted:
            arrivals.refused.append(
                f"{path} (commit {commits.get(path, tip)[:12]}): not a file of the archive's "
                "second-review layout (second/<review uid>/request.json, addressed-to or "
                "assessment-<key>.json); nothing of it was imported"
            )
    uids = {p.split("/")[1] for p in wanted}
    names = [f"{tip}:{p}" for p in wanted] + [f"{tip}:{addressed_path(u)}" for u in sorted(uids)]
    read = read_objects(copy.path, names)
    content = dict(zip(wanted, read[: len(wanted)], strict=True))
    addressed = dict(zip(sorted(uids), read[len(wanted) :], strict=True))
    me = _identities(store, copy)
    everything = copy.git("ls-tree", "-r", "--name-only", "-z", tip, "--", SECOND).stdout
    assessed = {  # an open request someone has answered already is nobody else's to take
        parts[1]
        for raw in everything.split(b"\0")
        if len(parts := raw.decode("utf-8", errors="replace").split("/")) == 3
        and parts[2].startswith(ASSESSMENT_PREFIX)
    }
    for path in wanted:
        data = content[path]
        if data is None:  # removed from the archive
            continue
        uid, leaf = path.split("/")[1:]
        where = f"{path} (commit {commits.get(path, tip)[:12]})"
        try:
            if len(data) > second_files.MAX_FILE_BYTES:
                raise BadInput(
                    f"the file is {len(data):,} bytes; a second-review file is at most "
                    f"{second_files.MAX_FILE_BYTES:,}"
                )
            if leaf == REQUEST:
                line = _take_request(
                    store, uid, data, addressed.get(uid), me, path, uid in assessed
                )
            elif leaf.startswith(ASSESSMENT_PREFIX):
                line = _take_assessment(store, uid, data)
            else:
                line = None
        except (BadInput, VerificationFailed) as exc:
            arrivals.refused.append(f"{where}: {exc}; nothing of it was imported")
            continue
        if line:
            arrivals.lines.append(f"{line} (from {path})")
    return arrivals


def _addressees(raw: bytes | None) -> set[str]:
    text = (raw or b"").decode("utf-8", errors="replace")
    return {line.strip().lower() for line in text.splitlines() if line.strip()}


def _take_request(
    store: ReviewStore,
    uid: str,
    data: bytes,
    raw_to: bytes | None,
    me: set[str],
    path: str,
    answered: bool,
) -> str | None:
    """A request for this library, imported as a review to assess; None when it is not ours
    to take (we asked it, it is for someone else, it is open to anyone but answered already,
    or it is here already)."""
    if store.second_copy_of(uid, Role.FIRST) is not None:
        return None  # our own request
    to = _addressees(raw_to)
    if (to and not (to & me)) or (not to and answered):
        return None
    if store.second_copy_of(uid) is not None:
        return None
    reviewer = next((r.name for r in store.reviewers() if r.email.lower() in to), "")
    request = second_files.read_request(data)
    review_id = second_review.import_request_content(store, data, path, reviewer)
    who = request.requested_by or "a colleague"
    return (
        f"second-review request from {who} imported as review {review_id} "
        f"(“{request.meta.title}”): assess its claims, then reviewapp second sign {review_id} "
        "--archive"
    )


def _take_assessment(store: ReviewStore, uid: str, data: bytes) -> str | None:
    """An assessment of a review this library asked about, imported as ``second import`` does;
    None when this library did not ask, or holds that very assessment already."""
    asking = store.second_copy_of(uid, Role.FIRST)
    if asking is None:
        return None
    markdown, _signature = second_files.read_assessment_file(data)
    record = store.load_review(asking).second_review
    if record is not None and record.assessment_sha256 == second_files.sha256(markdown):
        return None
    review_id = second_review.import_assessment_content(store, data)
    record = store.load_review(review_id).second_review
    assert record is not None
    return (
        f"signed assessment of {record.assessor} (key {record.assessor_fingerprint}) imported "
        f"into review {review_id}: reviewapp second compare {review_id}"
    )
