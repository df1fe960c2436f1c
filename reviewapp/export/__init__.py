"""Rendering reviews for other people and tools: Markdown, JSON bundle, W3C, ClaimReview, CSV."""
