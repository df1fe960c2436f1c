"""Pure-Python domain: text model, anchoring, scales, review rules. Never imports Qt."""
