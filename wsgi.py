"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

import gc

from app import create_app

app = create_app()
# What the app built at start lives as long as the process: keep it out of the garbage
# collector's full passes (each walked ~150,000 objects, about 70 ms, every few thousand
# requests).
gc.freeze()
