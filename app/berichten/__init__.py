"""Berichten: messages from the municipality to a resident's secure inbox, and the mails
that announce them. A domain of its own: Mijn omgeving shows them (app.pip), the back
office and the KCC send them, and every status change of a zaak sends one (the zaken
signal status_set). It has no pages of its own."""

from flask import Flask

from app.berichten.services import connect_signals


def init_app(app: Flask) -> None:
    """Every status change, from the back office, the API or the command line, reaches the
    resident. (Connecting again is harmless: blinker keeps a receiver once.)"""
    connect_signals()
