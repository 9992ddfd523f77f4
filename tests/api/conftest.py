"""The API tests' fixtures live in tests/api_fixtures.py."""

from tests.api_fixtures import api  # noqa: F401
