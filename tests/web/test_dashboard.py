"""The kanaalsturing dashboard through the test client: who may see it, the charts with the
table beside each, the filter, the CSV, and a fixed number of queries."""

import pytest

from app.contacts.aggregates import refresh
from app.db import get_session
from tests.contacts_fixtures import known_ledger
from tests.querycount import counted_queries
from tests.web.staff import login_staff

DASHBOARD = "/backoffice/dashboard"
JAN_FEB = {"van": "2026-01", "tot": "2026-02", "product": ""}


@pytest.fixture(autouse=True)
def ledger(app, db_connection):
    with app.test_request_context():
        session = get_session()
        known_ledger(session)
        refresh(session)
        session.commit()
        yield


def test_management_finds_the_dashboard_in_the_menu(client):
    login_staff(client, "mila")
    assert f'href="{DASHBOARD}"' in client.get("/backoffice/").get_data(as_text=True)


@pytest.mark.parametrize("username", ["bas", "karin", "bea"])
def test_no_one_else_sees_the_figures(client, username):
    login_staff(client, username)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(DASHBOARD + ".csv").status_code == 403


def test_each_measure_is_a_chart_with_its_numbers_in_a_table_beside_it(client):
    login_staff(client, "mila")
    page = client.get(DASHBOARD, query_string=JAN_FEB).get_data(as_text=True)
    assert page.count('role="img"') == 8 and page.count("<table") == 8
    assert "Doel 2020: minstens 60 % (2018: 47 %)" in page
    assert "60,0 %" in page and "6 van 10" in page          # online in January
    assert "66,7 %" in page and "2 van 3" in page           # first time right in January
    assert "83,3 %" in page and "5 van 6" in page           # within the legal term
    assert "Doel 2020: minstens 7,0 (2018: website 6,7, balie 6,8)" in page
    assert ">7,7<" in page                                  # the average score


def test_one_product_shows_only_its_figures(client):
    login_staff(client, "mila")
    page = client.get(DASHBOARD, query_string={**JAN_FEB, "product": "paspoort"})
    html = page.get_data(as_text=True)
    assert "1 van 1" in html and "6 van 10" not in html


def test_a_last_month_before_the_first_says_so(client):
    login_staff(client, "mila")
    answer = client.get(DASHBOARD, query_string={**JAN_FEB, "van": "2026-02", "tot": "2026-01"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<title>Fout: " in html and 'href="#tot"' in html


def test_the_csv_holds_the_same_figures_as_the_page(client):
    login_staff(client, "mila")
    page = client.get(DASHBOARD, query_string=JAN_FEB).get_data(as_text=True)
    assert 'href="/backoffice/dashboard.csv?van=2026-01&amp;tot=2026-02&amp;product="' in page
    answer = client.get(DASHBOARD + ".csv", query_string=JAN_FEB)
    assert answer.mimetype == "text/csv"
    assert 'filename="kanaalsturing-2026-01-2026-02.csv"' in answer.headers[
        "Content-Disposition"]
    assert "2026-01,alle,online,6,10,60.0,>=60" in answer.get_data(as_text=True).splitlines()


def test_the_page_runs_a_fixed_number_of_queries(client, app):
    login_staff(client, "mila")
    client.get(DASHBOARD)
    with counted_queries(app) as statements:
        assert client.get(DASHBOARD, query_string=JAN_FEB).status_code == 200
    few = len(statements)
    with counted_queries(app) as statements:
        client.get(DASHBOARD, query_string={"van": "2024-01", "tot": "2026-12"})
    assert len(statements) == few
