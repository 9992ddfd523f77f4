"""Mock DigiD: a separate OpenID Connect provider process with fictional personas, for the demo and tests."""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
