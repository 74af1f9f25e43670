"""The web side of `policy-news pull`: sources file, polite HTTP client, listing links, WARC archive."""
