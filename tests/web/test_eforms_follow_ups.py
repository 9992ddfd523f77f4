"""A question said once, follow-up questions only when the answer asks for them, and the error
summary as GOV.UK has it: the uittreksel BRP form through the test client, as a browser
without JavaScript posts it (the browser journeys try the same with JavaScript)."""

import html5lib
import pytest

from tests.eforms_fixtures import form_csrf, form_rate_limit, post_page, start_form  # noqa: F401
from tests.login import login_as
from tests.personas import FATIMA

pytestmark = pytest.mark.usefixtures("form_rate_limit")

NS = "{http://www.w3.org/1999/xhtml}"


def parse(response):
    return html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=True)


def by_id(root, element_id: str):
    return next(element for element in root.iter() if element.get("id") == element_id)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def parent_of(root, child):
    return next(element for element in root.iter() if child in list(element))


def soort_step(client) -> str:
    """The uittreksel's "Which extract?" step, reached as Fatima asking for herself."""
    login_as(client, FATIMA)
    answer = post_page(client, start_form(client, "uittreksel-brp"), {"voor_wie": "mijzelf"})
    assert answer.status_code == 302
    return answer.headers["Location"]


@pytest.fixture
def doel_step(client):
    """The step after it ("What for?")."""
    answer = post_page(client, soort_step(client), {"soort": "internationaal"})
    assert answer.status_code == 302
    return answer.headers["Location"]


def post_without_javascript(client, url: str, data: dict):
    """POST the page's form as a browser without JavaScript: the follow-up questions that were
    hidden send no "seen" marker."""
    html = client.get(url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": form_csrf(html), **data})


def test_the_follow_up_is_hidden_until_the_answer_asks_for_it(client, doel_step):
    page = parse(client.get(doel_step))
    follow_up = by_id(page, "doel_anders-conditional")
    assert follow_up.get("hidden") is not None
    assert follow_up.find(f"{NS}input[@data-seen]").get("disabled") is not None

    # Without JavaScript the resident picks "something else" and sees "What for?" only now:
    # the page comes back with it shown, without an error, and the step is not done yet.
    answer = post_without_javascript(client, doel_step, {"doel": "anders", "doel_anders": ""})
    assert answer.status_code == 200
    page = parse(answer)
    follow_up = by_id(page, "doel_anders-conditional")
    assert follow_up.get("hidden") is None
    assert follow_up.find(f"{NS}input[@data-seen]").get("disabled") is None
    assert not [element for element in page.iter() if element.get("data-error-summary") is not None]
    assert not text(page.find(f"{NS}head/{NS}title")).startswith("Fout:")
    assert client.get(doel_step.rsplit("/", 1)[0] + "/aantal").status_code == 302   # no skipping

    # Now it was seen: left empty it is an error, filled in the step is done.
    answer = client.post(doel_step, data={"csrf_token": form_csrf(answer.get_data(as_text=True)),
                                          "doel": "anders", "doel_anders": "", "shown": "doel_anders"})
    assert answer.status_code == 200
    assert by_id(parse(answer), "doel_anders-error") is not None
    answer = post_without_javascript(client, doel_step, {
        "doel": "anders", "doel_anders": "Voor mijn vereniging", "shown": "doel_anders"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/aantal")


def test_an_answer_that_needs_no_follow_up_completes_the_step(client, doel_step):
    answer = post_without_javascript(client, doel_step, {"doel": "werk", "doel_anders": ""})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/aantal")


def test_a_saved_answer_shows_its_follow_up_when_the_step_is_opened_again(client, doel_step):
    post_page(client, doel_step, {"doel": "anders", "doel_anders": "Voor mijn vereniging"})
    follow_up = by_id(parse(client.get(doel_step)), "doel_anders-conditional")
    assert follow_up.get("hidden") is None
    assert follow_up.find(f".//{NS}input[@id='doel_anders']").get("value") == "Voor mijn vereniging"


def test_the_earlier_addresses_question_comes_only_with_the_dutch_extract(client):
    step = soort_step(client)
    assert by_id(parse(client.get(step)), "adreshistorie-conditional").get("hidden") is not None
    answer = post_without_javascript(client, step, {"soort": "brp"})
    assert answer.status_code == 200   # the follow-up (optional) is shown first
    assert by_id(parse(answer), "adreshistorie-conditional").get("hidden") is None
    answer = post_without_javascript(client, step, {"soort": "brp", "adreshistorie": "y",
                                                    "shown": "adreshistorie"})
    assert answer.status_code == 302


def test_a_page_with_one_question_says_it_once_as_its_heading(client, doel_step):
    soort = parse(client.get(doel_step.rsplit("/", 1)[0] + "/soort"))
    heading = soort.find(f".//{NS}h1")
    assert text(heading) in ("Welk uittreksel heeft u nodig?", "Which extract do you need?")
    assert parent_of(soort, heading).tag == f"{NS}legend"        # radios: the legend is the h1

    doel = parse(client.get(doel_step))
    heading = doel.find(f".//{NS}h1")
    label = heading.find(f"{NS}label")                              # a select: its label is the h1
    assert label is not None and label.get("for") == "doel"
    assert text(doel.find(f"{NS}head/{NS}title")).startswith(text(heading))


def test_the_error_summary_is_announced_and_links_to_each_field(client, doel_step):
    answer = post_without_javascript(client, doel_step, {})
    page = parse(answer)
    summary = next(element for element in page.iter() if element.get("data-error-summary") is not None)
    assert summary.get("tabindex") == "-1" and summary.get("aria-labelledby") is None
    alert = summary.find(f"{NS}div[@role='alert']")
    assert text(alert.find(f"{NS}h2")) in ("Er is een probleem", "There is a problem")
    assert [link.get("href") for link in alert.iter(f"{NS}a")] == ["#doel"]
    assert text(page.find(f"{NS}head/{NS}title")).startswith(("Fout: ", "Error: "))
