"""One place that imports every feature's models, so Alembic and the tests see the whole schema."""


def import_all_models() -> None:
    from app import once  # noqa: F401
    from app.api import models as api_models  # noqa: F401
    from app.appointments import models as appointments_models  # noqa: F401
    from app.auth import models as auth_models  # noqa: F401
    from app.backoffice import models as backoffice_models  # noqa: F401
    from app.berichten import models as berichten_models  # noqa: F401
    from app.contacts import models as contacts_models  # noqa: F401
    from app.eforms import models as eforms_models  # noqa: F401
    from app.feedback import models as feedback_models  # noqa: F401
    from app.notificaties import models as notificaties_models  # noqa: F401
    from app.notifications import models as notifications_models  # noqa: F401
    from app.payments import models as payments_models  # noqa: F401
    from app.persons import models as persons_models  # noqa: F401
    from app.zaken import models as zaken_models  # noqa: F401
    from app.zaken.zgw import models as zgw_models  # noqa: F401
