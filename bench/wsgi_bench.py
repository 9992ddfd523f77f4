"""The portal as served in production, plus a minimal route to measure against.

Every benchmark reports its figures as ratios to `/bench/baseline`, served by the
same gunicorn workers in the same run, so the machine's speed cancels out.
"""

from wsgi import app


@app.get("/bench/baseline")
def baseline():
    return "ok"
