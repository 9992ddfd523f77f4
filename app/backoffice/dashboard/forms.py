"""The dashboard's filter: a month range and a product, asked with GET (a link to a view of
the figures can be shared; nothing changes, so no CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, ValidationError


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    van = SelectField(_l("From month"))
    tot = SelectField(_l("Up to and including month"))
    product = SelectField(_l("Product"))

    def validate_tot(self, field) -> None:
        if self.van.data and field.data and field.data < self.van.data:
            raise ValidationError(_l("Choose a last month that is not before the first month"))
