"""Personal data source (BRP-like), behind a small interface."""
