"""Beheer: staff members and the zaaktypen's norms and status texts."""
