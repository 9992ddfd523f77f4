"""The balie agenda: a location's day per desk, arrived and no-show, blocking a desk."""
