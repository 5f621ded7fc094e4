"""Persistence at the edge: atomic file writes and program snapshots."""
