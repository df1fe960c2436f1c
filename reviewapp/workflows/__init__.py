"""Workflows: the operations that span several layers, called by the CLI and the GUI alike.

- ``signoff``: sign a review off (gate, key, render, sign, record) and reopen it.
- ``verify``: check an exported review against its signature and the signers trusted here.
- ``keys``: the reviewer's signing key (keyring) and the identity it signs as (database).
- ``trust``: whether a stored sign-off's signer is verified here.
- ``bundles``: check, verify and import JSON bundles.
- ``revisions``: import a newer draft and re-anchor the claims; the editor's answers.
- ``exporting``: export one review from the library to a file.
- ``archive``: the shared git archive (init, clone, push, pull, status, trust), with
  ``archive_files`` (layout, checking a review), ``archive_commits`` (the commit trust rule),
  ``gitrepo`` (running git) and ``gitsign`` (git's signing program, keys from the keyring).

Each takes a ReviewStore and plain values; the store, signing, export and ingest layers below
never import one another.
"""
