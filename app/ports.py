"""The outside systems the portal talks to, each a port with implementations chosen by one
setting.

A port is an interface in the feature that owns it (``ZakenStore`` in app.zaken,
``PersonsSource`` in app.persons, ...). Its implementations are listed here by the value
of the setting that picks one, as "module:setup": ``setup(app)`` returns what the
feature's getter hands out (a class taking the request's Session, or an instance), and
is stored in ``app.extensions[port.key]``. Adding an implementation is adding a module and
a line here; a value that names none stops the app at start with a message that says which
values there are. Tests may put another implementation in ``app.extensions[port.key]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from flask import Flask, current_app


class PortConfigurationError(RuntimeError):
    """A port's setting names no implementation, or the chosen one lacks a setting it needs."""


@dataclass(frozen=True)
class Port:
    setting: str                       # the config key that chooses, e.g. "ZAKEN_STORE"
    key: str                           # where the chosen one lives in app.extensions
    implementations: Mapping[str, str]  # setting value -> "module:setup"

    def setup_for(self, value: str) -> Any:
        target = self.implementations.get(value)
        if target is None:
            known = ", ".join(sorted(self.implementations))
            raise PortConfigurationError(
                f"{self.setting}={value!r} is not an implementation of this port; "
                f"choose one of: {known}")
        module, _, name = target.partition(":")
        return getattr(import_module(module), name)


ZAKEN_STORE = Port("ZAKEN_STORE", "zaken_store", {"local": "app.zaken.sql:setup_local_store",
                                                  "zgw": "app.zaken.zgw:setup_zgw_store"})
PERSONS_SOURCE = Port("PERSONS_SOURCE", "persons_source",
                      {"local": "app.persons.services:setup_local_source",
                       "haalcentraal": "app.persons.haalcentraal:setup_haalcentraal_source"})
AGENDA_BACKEND = Port("AGENDA_BACKEND", "agenda_backend",
                      {"local": "app.appointments.local:setup_local_backend"})
ADDRESS_LOOKUP = Port("ADDRESS_LOOKUP", "address_lookup",
                      {"local": "app.eforms.addresses:setup_local_lookup",
                       "pdok": "app.eforms.addresses_pdok:setup_pdok_lookup",
                       "bag": "app.eforms.addresses_bag:setup_bag_lookup"})
DOCUMENT_STORE = Port("DOCUMENT_STORE", "document_store",
                      {"local": "app.zaken.documents:setup_filesystem_store"})

PAYMENT_PROVIDER = Port("PAYMENT_PROVIDER", "payment_provider",
                        {"mollie": "app.payments.mollie:setup_mollie",
                         "mock": "app.payments.mollie:setup_mock"})

PORTS = (ZAKEN_STORE, PERSONS_SOURCE, AGENDA_BACKEND, ADDRESS_LOOKUP, DOCUMENT_STORE,
         PAYMENT_PROVIDER)


def init_app(app: Flask) -> None:
    """Choose every port's implementation from its setting; refuse to start on a wrong one."""
    for port in PORTS:
        setup = port.setup_for(str(app.config[port.setting]).strip().lower())
        app.extensions[port.key] = setup(app)


def implementation(port: Port) -> Any:
    """What the port's setup returned for this app (or what a test put in its place)."""
    return current_app.extensions[port.key]
