"""The work queue, one zaak's page and the actions on it."""
