"""Text that ends up in a mail header (a question's subject, a name, an address) is one
line: a crafted request with a line break meets a clear message at the field."""

import pytest

from tests.eforms_fixtures import form_rate_limit, post_page, start_form  # noqa: F401

ONE_LINE = "Schrijf dit op één regel, zonder enter"


@pytest.mark.parametrize("subject", ["Grofvuil\r\nBcc: spam@evil.example", "Grofvuil\n",
                                     "Grof\u2028vuil", "Grof\tvuil"])
def test_a_question_subject_with_a_line_break_is_refused_at_the_field(client, form_rate_limit,
                                                                      subject):
    step = start_form(client, "vraag")
    answer = post_page(client, step, {"onderwerp": subject, "vraag": "Wanneer komt het?"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'href="#onderwerp"' in page and ONE_LINE in page


def test_a_question_subject_on_one_line_is_taken(client, form_rate_limit):
    step = start_form(client, "vraag")
    answer = post_page(client, step, {"onderwerp": "Grofvuil ophalen",
                                      "vraag": "Wanneer komt het?\nEn hoe laat?"})
    assert answer.status_code == 302  # the question itself may have lines
