"""Forms of beheer: a staff member (new, or role and team) and a zaaktype's norms and status
texts.

They are still defined in app/backoffice/kcc_forms.py beside the KCC's, which are being
converted; they move here when the KCC moves into app/backoffice/kcc/. Import them from
here.
"""

from app.backoffice.kcc_forms import (  # noqa: F401
    NewStaffForm,
    StaffForm,
    ZaakTypeForm,
)
