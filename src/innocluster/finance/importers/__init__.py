"""Bank statement importers: each format parsed into one stream of statement events."""
