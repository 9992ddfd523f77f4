"""The kanaalsturing dashboard (VIEW_DASHBOARD, the management role): each measure as a chart
drawn on the server with its numbers in a table beside it, filtered by month range and
product (GET), and the same figures as CSV. Figures only: no resident's data, so nothing
goes to the disclosure log."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request
from flask_babel import format_date, format_decimal, gettext
from flask_babel import lazy_gettext as _l

from app.auth.permissions import Permission, requires
from app.backoffice import bp
from app.backoffice.dashboard.forms import DashboardFilterForm
from app.catalog.content import get_catalog
from app.contacts.aggregates import month_of
from app.contacts.dashboard import (
    MEASURES,
    TARGETS,
    Dashboard,
    Period,
    Share,
    dashboard,
    dashboard_csv,
)
from app.db import get_session
from app.ui import locale_name
from app.zaken.services import today

MONTHS_OFFERED = 36  # the filter's choice of months, back from this one
DEFAULT_MONTHS = 12

TITLES = {
    "online": _l("Contacts online (website)"),
    "telefoon": _l("Contacts by phone"),
    "balie": _l("Contacts at the desk (visits)"),
    "formulieren": _l("Forms started online that were sent"),
    "servicenorm": _l("Cases decided within their target (servicenorm)"),
    "termijn": _l("Cases decided within their legal term"),
    "eerste_keer_goed": _l("Phone calls answered right the first time"),
    "cijfer": _l("Average score residents gave a task (1 to 10)"),
}
TARGET_TEXTS = {
    "online": _l("Target 2020: at least 60 % (2018: 47 %)"),
    "telefoon": _l("Target 2020: at most 20 % (2018: 37 %)"),
    "balie": _l("Target 2020: at most 50 % (2018: 68 %)"),
    "termijn": _l("Target: all of them, the law's term"),
    "eerste_keer_goed": _l("Target 2020: at least 80 % (2018: 49 %)"),
    "cijfer": _l("Target 2020: at least 7.0 (2018: website 6.7, desk 6.8)"),
}
NO_TARGET = _l("The service concept sets no percentage for this")


def _month_choices() -> list[tuple[str, str]]:
    month, choices = month_of(today()), []
    for _ in range(MONTHS_OFFERED):
        choices.append((month.isoformat()[:7], format_date(month, "MMMM yyyy")))
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return choices


def _filter_form() -> DashboardFilterForm:
    form = DashboardFilterForm(request.args)
    form.van.choices = form.tot.choices = _month_choices()
    form.product.choices = [("", gettext("All products")),
                            *((p.slug, p.title.get(locale_name()))
                              for p in get_catalog().products)]
    if not form.van.data or form.van.data == "None":
        form.van.data = form.van.choices[DEFAULT_MONTHS - 1][0]
    if not form.tot.data or form.tot.data == "None":
        form.tot.data = form.tot.choices[0][0]
    return form


def _period(form: DashboardFilterForm, valid: bool) -> Period:
    if not valid:  # the default twelve months, while the form says what to change
        return Period(date.fromisoformat(form.van.choices[DEFAULT_MONTHS - 1][0] + "-01"),
                      date.fromisoformat(form.tot.choices[0][0] + "-01"))
    return Period(date.fromisoformat(form.van.data + "-01"),
                  date.fromisoformat(form.tot.data + "-01"), form.product.data or "")


def _figures() -> tuple[DashboardFilterForm, bool, Dashboard]:
    form = _filter_form()
    valid = form.validate() if request.args else True
    return form, valid, dashboard(get_session(), _period(form, valid))


class _Percentages:
    """How a chart of shares shows its values: percentages, bars on a scale of 100."""

    scale = 1
    columns = (_l("Month"), _l("Percentage"), _l("Counted"))

    @staticmethod
    def text(value: float | None) -> str:
        return "–" if value is None else format_decimal(value, format="0.0") + " %"

    @staticmethod
    def counted(share: Share) -> str:
        return gettext("%(part)s of %(whole)s", part=format_decimal(share.part),
                       whole=format_decimal(share.whole))


class _Scores(_Percentages):
    """The average score: 1 to 10, bars on a scale of 10."""

    scale = 10
    columns = (_l("Month"), _l("Average score"), _l("Number of scores"))

    @staticmethod
    def text(value: float | None) -> str:
        return "–" if value is None else format_decimal(value, format="0.0")

    @staticmethod
    def counted(share: Share) -> str:
        return format_decimal(share.whole)


def _chart(board: Dashboard, key: str) -> dict:
    shown = _Scores if key == "cijfer" else _Percentages
    target = TARGETS.get(key)
    title = str(TITLES[key])
    months = [(format_date(f.label, "MMM yyyy"), f.shares[key]) for f in board.months]
    total = board.total.shares[key]
    return {
        "id": f"chart-{key}", "title": title,
        "table_caption": gettext("The numbers: %(title)s", title=title),
        "columns": [str(column) for column in shown.columns],
        "target_text": str(TARGET_TEXTS.get(key, NO_TARGET)),
        "target": target.value * shown.scale if target else None,
        "target_short": gettext("target %(value)s", value=shown.text(target.value))
        if target else None,
        "description": gettext("%(title)s per month. Whole period: %(total)s. The numbers "
                               "are in the table beside the chart.",
                               title=title, total=shown.text(total.value)),
        "bars": [{"label": label, "text": shown.text(share.value),
                  "value": None if share.value is None else share.value * shown.scale}
                 for label, share in months],
        "rows": [[label, shown.text(share.value), shown.counted(share)]
                 for label, share in months]
        + [[gettext("Whole period"), shown.text(total.value), shown.counted(total)]],
    }


@bp.get("/dashboard")
@requires(Permission.VIEW_DASHBOARD)
def dashboard_page():
    form, valid, board = _figures()
    return render_template("backoffice/dashboard.html", active="dashboard", form=form,
                           form_errors=not valid and form.errors,
                           charts=[_chart(board, key) for key in MEASURES],
                           csv_href=request.full_path.replace("/dashboard?", "/dashboard.csv?", 1)
                           if request.args else "/backoffice/dashboard.csv")


@bp.get("/dashboard.csv")
@requires(Permission.VIEW_DASHBOARD)
def dashboard_csv_download():
    _form, _valid, board = _figures()
    period = board.period
    name = f"kanaalsturing-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
    return Response(dashboard_csv(board), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
