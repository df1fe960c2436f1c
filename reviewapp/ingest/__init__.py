"""Getting drafts in: fetch (http with hard limits), extract (trafilatura), file readers."""
