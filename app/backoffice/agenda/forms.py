"""Forms of the balie agenda: the day's filter, finding an appointment by its number, blocking
a desk.

They are still defined in app/backoffice/kcc_forms.py beside the KCC's, which are being
converted; they move here when the KCC moves into app/backoffice/kcc/. Import them from
here.
"""

from app.backoffice.kcc_forms import (  # noqa: F401
    AgendaFilterForm,
    BlockForm,
    FindAppointmentForm,
)
