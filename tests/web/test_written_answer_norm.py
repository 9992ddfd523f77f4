"""The servicenorm for a written answer is one setting (WRITTEN_ANSWER_WORKING_DAYS): every
page that promises an answer says it, and the KCC's questions and the residents' messages
are marked overdue by the same rule."""

from __future__ import annotations

import re

import pytest

from tests.conversation_fixtures import came_in_days_ago, resident_asks
from tests.factories import new_zaak
from tests.kcc_fixtures import question_zaak
from tests.login import login_as
from tests.personas import FATIMA
from tests.web.test_backoffice_kcc import overview_path

NORM = 7  # no default and no hard-coded figure says seven


@pytest.fixture(autouse=True)
def seven_days(app, monkeypatch):
    monkeypatch.setitem(app.config, "WRITTEN_ANSWER_WORKING_DAYS", NORM)


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def promises(page: str) -> set[str]:
    """Every "<n> werkdag(en)" the page names."""
    return set(re.findall(r"\b\d+ werkdag(?:en)?\b", page))


def test_every_page_that_promises_a_written_answer_says_the_setting(client, app):
    zaaknummer = new_zaak(app, team="burgerzaken")
    pages = {}
    pages["question form"] = text_of(client, "/formulieren/vraag")
    login_as(client, FATIMA)
    pages["zaak page"] = text_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    login_as(client, "karin")  # the KCC
    with app.test_request_context():
        pages["register a question"] = text_of(client, overview_path(client) + "/vraag")
    pages["KCC's questions"] = text_of(client, "/backoffice/vragen")
    pages["residents' messages"] = text_of(client, "/backoffice/gesprekken")
    for name, page in pages.items():
        assert promises(page) == {"7 werkdagen"}, name


def test_english_pages_say_it_in_english(client):
    client.set_cookie("lang", "en")
    page = text_of(client, "/formulieren/vraag")
    assert "We will answer within 7 working days." in page


def row_of(page: str, link: str) -> str:
    return page.split(link)[1].split("</tr>")[0]


@pytest.mark.parametrize("days, overdue", [(2, False), (9, False), (12, True)])
def test_the_kcc_and_the_messages_list_mark_overdue_by_the_same_rule(client, app, days,
                                                                       overdue):
    # 9 calendar days hold at most 7 working days; 12 hold at least 8.
    with app.test_request_context():
        question = question_zaak()
    thread_id = resident_asks(app, new_zaak(app, team="burgerzaken"), team="burgerzaken")
    came_in_days_ago(app, days, question=question, thread_id=thread_id)
    login_as(client, "karin")
    client.set_cookie("lang", "en")
    kcc_row = row_of(text_of(client, "/backoffice/vragen"), f"/backoffice/vragen/{question}")
    messages_row = row_of(text_of(client, "/backoffice/gesprekken"),
                          f"/backoffice/gesprekken/{thread_id}")
    norm = re.compile(r"(Overdue: answer was due on|Answer by) [^<]+")
    assert norm.search(kcc_row)[0] == norm.search(messages_row)[0]
    assert ("Overdue" in kcc_row) is overdue
