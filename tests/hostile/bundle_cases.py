"""Hostile JSON bundles for `reviewapp import-bundle`: each is a real export of a small review,
damaged at run time (the large ones are streamed, sparse or small-and-inflating, never
committed). Every one must be refused with a one-line BadInput and write nothing."""

from __future__ import annotations

import base64
import functools
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewapp.export.boundedjson import MAX_VALUES
from reviewapp.export.bundle import (
    MAX_BUNDLE_BYTES,
    MAX_ITEMS,
    MAX_RAW_BYTES,
    MAX_TEXT_CHARS,
    store_bundle,
)
from reviewapp.store import ReviewStore
from tests.conftest import make_draft
from tests.hostile import HostileCase
from tests.test_bundle_import_support import as_version_1

QUOTE = "committed $4 billion"
# A literal the damaged bundle is dumped with, then replaced by text json.dumps cannot write.
PLACEHOLDER = "@@literal@@"


@functools.cache
def exported_bundle() -> bytes:
    """`reviewapp export --format json` of a small review: a claim with a source, a takeaway."""
    with tempfile.TemporaryDirectory() as folder, ReviewStore(Path(folder) / "a.db") as store:
        draft = make_draft([f"Amazon has {QUOTE} to the startup.", "It offers 99.9% uptime."])
        review_id = store.add_article(draft, reviewer="Ada Editor")
        claim = store.add_claim_by_quote(review_id, QUOTE, status="false", note="Was $8 billion.")
        store.add_source(review_id, [claim.id], url="https://example.org/report", title="Report")
        store.add_takeaway(review_id, "One figure is wrong.")
        return store_bundle(store, store.load_review(review_id))


def _write(folder: Path, content: bytes) -> list[str]:
    path = folder / "hostile.json"
    path.write_bytes(content)
    return ["import-bundle", str(path)]


def damaged(
    name: str, change: Callable[[dict[str, Any]], Any], expect: str, *, version_1: bool = False
) -> HostileCase:
    """The exported bundle (or, with version_1, the same in the format before stable ids)
    after change(bundle) edits it."""

    def build(folder: Path) -> list[str]:
        bundle = json.loads(exported_bundle())
        if version_1:
            as_version_1(bundle)
        change(bundle)
        return _write(folder, json.dumps(bundle, ensure_ascii=False).encode())

    return HostileCase(name, build, expect)


def with_literal(
    name: str, put: Callable[[dict[str, Any], str], Any], literal: str, expect: str
) -> HostileCase:
    """The exported bundle with put(bundle, placeholder) replaced by literal JSON text."""

    def build(folder: Path) -> list[str]:
        bundle = json.loads(exported_bundle())
        put(bundle, PLACEHOLDER)
        text = json.dumps(bundle, ensure_ascii=False).replace(f'"{PLACEHOLDER}"', literal, 1)
        return _write(folder, text.encode())

    return HostileCase(name, build, expect)


def raw(name: str, make: Callable[[bytes], bytes], expect: str) -> HostileCase:
    """Bytes made from the exported bundle's bytes."""
    return HostileCase(name, lambda folder: _write(folder, make(exported_bundle())), expect)


def _claim(bundle: dict[str, Any]) -> dict[str, Any]:
    claim: dict[str, Any] = bundle["claims"][0]
    return claim


def _position(bundle: dict[str, Any]) -> dict[str, Any]:
    position: dict[str, Any] = _claim(bundle)["selectors"]["position"]
    return position


def _sparse_gigabyte(folder: Path) -> list[str]:
    """A 1 GB bundle that takes no disk: the exported one, then a hole of zero bytes."""
    path = folder / "huge.json"
    path.write_bytes(exported_bundle())
    with path.open("r+b") as handle:
        handle.truncate(1 << 30)
    return ["import-bundle", str(path)]


def _nested(depth: int) -> bytes:
    return (
        b'{"format": "reviewapp-bundle", "version": 1, "revisions": '
        + b"[" * depth
        + b"]" * depth
        + b"}"
    )


def _huge_raw(bundle: dict[str, Any]) -> None:
    # Valid base64 of 3 bytes more than an import may keep: refused by its decoded size.
    size = MAX_RAW_BYTES + 3
    bundle["revisions"][0]["raw_base64"] = base64.b64encode(bytes(size)).decode()


def _huge_text(bundle: dict[str, Any]) -> None:
    bundle["revisions"][0]["text"] = "x" * (MAX_TEXT_CHARS + 1)


def _many_values(content: bytes) -> bytes:
    """Millions of empty objects: 3 bytes each in the file, 72 bytes each once parsed."""
    filler = b"[" + b",".join([b"{}"] * (MAX_VALUES + 1)) + b"]"
    return content.replace(b'"takeaways": [', b'"padding": ' + filler + b', "takeaways": [', 1)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets bundle[path[0]][path[1]]... to value."""

    def change(bundle: dict[str, Any]) -> None:
        target: Any = bundle
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _put(path: tuple[Any, ...]) -> Callable[[dict[str, Any], str], None]:
    return lambda bundle, placeholder: _set(path, placeholder)(bundle)


CLAIM = ("claims", 0)
POSITION = (*CLAIM, "selectors", "position")

CASES: list[HostileCase] = [
    # Size and inflation
    HostileCase(
        "bundle-sparse-1gb", _sparse_gigabyte, f"larger than {MAX_BUNDLE_BYTES >> 20}.0 MB"
    ),
    raw("bundle-millions-of-empty-objects", _many_values, "values, far more than any review"),
    damaged("bundle-raw-decodes-over-limit", _huge_raw, "raw_base64 decodes to 20,971,523 bytes"),
    damaged("bundle-text-over-limit", _huge_text, "characters, more than the"),
    damaged(
        "bundle-too-many-claims",
        lambda b: b.update(claims=[{}] * (MAX_ITEMS + 1)),
        f"more than the {MAX_ITEMS:,} a bundle may hold",
    ),
    # What Python's json module turns into tracebacks or lets through
    raw("bundle-nested-100000-deep", lambda _: _nested(100_000), "nests deeper than"),
    raw("bundle-nested-200-deep", lambda _: _nested(200), "nests deeper than 32 levels"),
    with_literal("bundle-5000-digit-integer", _put((*CLAIM, "id")), "9" * 5000, "5000 digits"),
    with_literal(
        "bundle-heading-level-1e999",
        _put(("revisions", 0, "blocks", 0, "level")),
        "1e999",
        "1e999, a number too large",
    ),
    with_literal("bundle-nan-offset", _put((*POSITION, "start")), "NaN", "holds NaN"),
    with_literal("bundle-infinity-id", _put(("review", "id")), "-Infinity", "holds -Infinity"),
    with_literal("bundle-lone-surrogate", _put((*CLAIM, "note")), '"\\ud800"', "surrogate"),
    with_literal(
        "bundle-lone-surrogate-key", _put(("review", "verdict")), '"", "\\udfff": 1', "surrogate"
    ),
    raw(
        "bundle-not-utf8",
        lambda c: c.replace(b"Was $8 billion.", b"Was \xff\xfe billion."),
        "not UTF-8",
    ),
    raw("bundle-utf8-bom", lambda c: b"\xef\xbb\xbf" + c, "byte-order mark"),
    raw(
        "bundle-duplicate-key",
        lambda c: c.replace(b"{", b'{"format": "other", ', 1),
        "'format' appears twice",
    ),
    raw("bundle-top-level-array", lambda c: b"[" + c + b"]", "the format field is not"),
    raw("bundle-empty-file", lambda _: b"", "it is not JSON"),
    raw("bundle-truncated", lambda c: c[: len(c) // 2], "it is not JSON"),
    # Numbers out of range, of the wrong kind, or pointing outside the text
    damaged("bundle-review-id-beyond-sqlite", _set(("review", "id"), 2**63), "not a whole number"),
    damaged(
        "bundle-v1-takeaway-id-beyond-sqlite",
        _set(("takeaways", 0, "id"), 2**63 + 5),
        "takeaways[0].id is 9223372036854775813",
        version_1=True,
    ),
    damaged(
        "bundle-v1-claim-id-zero", _set((*CLAIM, "id"), 0), "claims[0].id is 0", version_1=True
    ),
    damaged(
        "bundle-v1-source-id-negative",
        _set(("sources", 0, "id"), -3),
        "sources[0].id is -3",
        version_1=True,
    ),
    damaged(
        "bundle-v1-link-with-a-stable-id",
        lambda b: b["links"][0].update(claim_id="c-7k3m9q2a"),
        "links[0].claim_id must be a whole number",
        version_1=True,
    ),
    # Stable ids (version 2): the shape of each kind, nothing else
    damaged("bundle-claim-id-a-number", _set((*CLAIM, "id"), 7), "claims[0].id must be text"),
    damaged(
        "bundle-claim-id-of-a-source",
        _set((*CLAIM, "id"), "s-7k3m9q2a"),
        "claims[0].id is 's-7k3m9q2a', not a claim id like c-7k3m9q2a",
    ),
    damaged(
        "bundle-source-id-too-long",
        _set(("sources", 0, "id"), "s-7k3m9q2a" + "x" * 10_000),
        "sources[0].id is 's-7k3m9q2axxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ),
    damaged(
        "bundle-takeaway-id-with-control-characters",
        _set(("takeaways", 0, "id"), "t-\x1b[31m1234"),
        "takeaways[0].id is 't-\\x1b[31m1234', not a takeaway id",
    ),
    damaged(
        "bundle-takeaway-times-missing",
        lambda b: b["takeaways"][0].pop("updated_at"),
        "takeaways[0] has no 'updated_at'",
    ),
    damaged(
        "bundle-takeaway-repeated",
        lambda b: b["takeaways"].append(dict(b["takeaways"][0], position=1)),
        "its takeaway ids repeat",
    ),
    damaged("bundle-boolean-id", _set(("review", "id"), True), "review.id must be a whole number"),
    damaged("bundle-float-offset", _set((*POSITION, "end"), 2.5), "end must be a whole number"),
    damaged("bundle-negative-offset", _set((*POSITION, "start"), -1), "is outside its revision"),
    damaged("bundle-offset-past-the-text", _set((*POSITION, "end"), 10**6), "is outside"),
    damaged(
        "bundle-start-after-end",
        lambda b: _position(b).update(start=_position(b)["end"] + 1),
        "after its end",
    ),
    damaged(
        "bundle-anchored-without-position",
        _set((*POSITION, "start"), None),
        "needs a start and an end",
    ),
    # Consistency a forged bundle gets wrong
    damaged(
        "bundle-quote-elsewhere",
        _set((*CLAIM, "selectors", "quote", "exact"), "committed $9 billion"),
        "the quote is not at its stored position",
    ),
    damaged(
        "bundle-prefix-invented",
        _set((*CLAIM, "selectors", "quote", "prefix"), "Google has "),
        "prefix or suffix",
    ),
    damaged(
        "bundle-text-changed-under-its-hash",
        lambda b: b["revisions"][0].update(text=b["revisions"][0]["text"].upper()),
        "does not match its content hash",
    ),
    damaged(
        "bundle-blocks-not-the-text",
        lambda b: b["revisions"][0]["blocks"].pop(),
        "the blocks do not make the text",
    ),
    damaged(
        "bundle-block-kind-unknown",
        _set(("revisions", 0, "blocks", 0, "kind"), "script"),
        "blocks[0].kind",
    ),
    damaged(
        "bundle-heading-level-99",
        _set(("revisions", 0, "blocks", 0, "level"), 99),
        "not a heading level",
    ),
    damaged(
        "bundle-link-to-missing-claim",
        _set(("links", 0, "claim_id"), "c-99999999"),
        "names a claim or source that is not in the bundle",
    ),
    damaged(
        "bundle-v1-link-to-missing-claim",
        _set(("links", 0, "claim_id"), 777),
        "names a claim or source that is not in the bundle",
        version_1=True,
    ),
    damaged(
        "bundle-link-repeated", lambda b: b["links"].append(dict(b["links"][0])), "its links repeat"
    ),
    damaged(
        "bundle-revision-repeated",
        lambda b: b["revisions"].append(b["revisions"][0]),
        "its revision ids repeat",
    ),
    damaged(
        "bundle-claim-repeated",
        lambda b: b["claims"].append(b["claims"][0]),
        "its claim ids repeat",
    ),
    # Every kind of field with the wrong type
    damaged(
        "bundle-claims-not-a-list", _set(("claims",), "all of them"), "bundle.claims must be a list"
    ),
    damaged("bundle-claim-not-an-object", _set(CLAIM, 7), "claims[0] is not an object"),
    damaged(
        "bundle-title-a-list", _set(("revisions", 0, "meta", "title"), ["a"]), "title must be text"
    ),
    damaged(
        "bundle-review-a-string", _set(("review",), "review"), "bundle.review must be an object"
    ),
    damaged("bundle-generator-nested", _set(("generator",), [[[["x"]]]]), "generator must be text"),
    damaged("bundle-raw-not-base64", _set(("revisions", 0, "raw_base64"), "@@@@"), "not base64"),
    damaged("bundle-version-zero", _set(("version",), 0), "bundle.version is 0"),
]
