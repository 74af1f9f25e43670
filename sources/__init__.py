"""Readers: bytes of one input file -> raw documents (one frame shape for every format)."""
