"""Correction requests (correctierecht): team Burgerzaken approves or rejects them."""
