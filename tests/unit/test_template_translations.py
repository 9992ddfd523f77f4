"""How templates translate (app.ui): the request's language, escaping, a forced language."""

from flask import render_template_string
from flask_babel import force_locale

PAGE = '{{ _("Search") }}|{{ _("Download %(name)s", name=file) }}|{{ _("100%% sure") }}'


def test_a_template_translates_escapes_and_formats(app):
    with app.test_request_context("/"):  # no language cookie: Dutch
        assert render_template_string(PAGE, file="<b>.pdf") == (
            "Zoeken|&lt;b&gt;.pdf downloaden|100% sure")


def test_a_forced_language_holds_for_the_whole_render(app):
    with app.test_request_context("/"):
        render_template_string(PAGE, file="a.pdf")  # the request's catalogue is taken first
        with force_locale("en"):
            assert render_template_string(PAGE, file="a.pdf") == (
                "Search|Download a.pdf|100% sure")
            # Outside Flask's render_template_string (no context processors) too.
            assert app.jinja_env.from_string('{{ _("Search") }}').render() == "Search"
        assert render_template_string(PAGE, file="a.pdf").startswith("Zoeken|a.pdf downloaden")
