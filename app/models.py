"""One place that imports every feature's models, so Alembic and the tests see the whole schema."""


def import_all_models() -> None:
    from app.auth import models as auth_models  # noqa: F401
    from app.persons import models as persons_models  # noqa: F401
