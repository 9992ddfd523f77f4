"""The UI layer: language choice, template context and the macro library.

The macros live in ``app/templates/ui/``; every page builds on them, so a fix
there lands everywhere.
"""

import io

import phonenumbers
from babel.support import Translations
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from app.auth.services import safe_next_path
from app.texts import WEB_ADDRESS, language_of
from app.ui import icons, logo
from app.uploads import served_file

bp = Blueprint("ui", __name__)

LANGUAGE_COOKIE = "lang"


def locale_name() -> str:
    """The page's language, "nl" or "en" (Flask-Babel's locale as text)."""
    return str(get_locale() or "nl")


def dutch(text: str | None, locale: str | None = None) -> Markup | str | None:
    """Data that exists in Dutch only (a zaak's description, what staff wrote, a requested
    document), marked lang="nl" on a page in another language, so a screen reader reads it
    in Dutch. A filter too: {{ value|dutch }}."""
    if not text or language_of(locale or locale_name()) == "nl":
        return text
    return Markup('<span lang="nl">%s</span>') % text


def select_locale() -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/taal/<code>")
def set_language(code: str):
    response = redirect(safe_next_path(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, path="/", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax",
        )
    return response


@bp.get("/logo/<digest>.svg")
def municipality_logo(digest: str):
    return logo.serve_logo(digest)


def init_app(app: Flask) -> None:
    municipality = _municipality_context(app.config, logo.init_app(app))
    app.add_template_global(icons.icon)
    app.context_processor(lambda: municipality)
    app.add_template_global(cached_fragment)
    app.add_template_filter(one_line)
    app.add_template_filter(portal_links)
    app.add_template_filter(phone)
    app.add_template_global(template_url_for, "url_for")
    from app.ui.dates import long_date  # here: app.ui.dates imports this package

    app.add_template_global(long_date)
    app.add_template_filter(dutch)
    app.extensions["ui_fragments"] = {}
    app.extensions["ui_constant_urls"] = {}
    app.context_processor(_translations_context)
    # Flask-Babel finds the catalogue anew for every string a template translates (three
    # context look-ups and the locale's name each time; a page has about 45 strings).
    # Jinja wants a gettext here too, but `_()` and gettext() get template_gettext below:
    # by far the most called, it takes a direct path (about 3 µs a string instead of 10).
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(
            context, singular, plural, n),
        newstyle=True)
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)


def request_translations() -> Translations:
    """The catalogue of the request's language, looked up once per request and language
    (a mail rendered under ``force_locale`` gets its own)."""
    locale = get_locale()
    cached = g.get("_ui_translations")
    if cached is None or cached[0] is not locale:
        cached = g._ui_translations = (locale, get_translations())
    return cached[1]


TRANSLATIONS = "ui_translations"  # the render's catalogue, in the template context


def _translations_context() -> dict:
    # Per render, so a mail rendered under force_locale gets its own language.
    return {TRANSLATIONS: request_translations()}


@pass_context
def template_gettext(context: Context, string: str, **variables) -> str:
    """Jinja's "newstyle" gettext (escaped where the template autoescapes; formatted with
    the variables, so "%%" becomes "%"), with the catalogue the render started with. A macro
    imported without context does not see it and asks request_translations()."""
    translations = context.get(TRANSLATIONS) or request_translations()
    text = translations.ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


def cached_fragment(template: str, **values) -> Markup:
    """A part of the page frame that is the same on every page in a language (the footer,
    the session timeout dialog, Mijn omgeving's navigation), rendered once per language and
    values instead of on every page: about a fifth of a page's template time. The fragment
    may use the municipality's configuration, translations and the values it is given (they
    are part of the cache's key: keep them to a few distinct ones), never the request or the
    user."""
    key = (template, str(get_locale()), request.script_root, *sorted(values.items()))
    fragments = current_app.extensions["ui_fragments"]
    if key not in fragments or current_app.jinja_env.auto_reload:
        fragments[key] = Markup(render_template(template, **values))
    return fragments[key]


def one_line(value) -> str:
    """A value for a one-line input: HTML allows no line break there (a posted one, from a
    client that is no browser, is shown as a space)."""
    return " ".join(("" if value is None else str(value)).splitlines())


def phone(number: str) -> str:
    """A phone number as stored (app.eforms.validators.Phone: "0525688120", "+32...") as
    people read it: "0525 688 120"; the tel: link takes it as stored."""
    try:
        parsed = phonenumbers.parse(number, "NL")
    except phonenumbers.NumberParseException:
        return number
    dutch_number = phonenumbers.region_code_for_number(parsed) == "NL"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL
                                      if dutch_number else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def template_url_for(endpoint: str, **values) -> str:
    """url_for for templates. A link without variable parts (the layout's, the navigation's,
    the stylesheet's: about a dozen a page) is the same on every page, so it is built once
    per endpoint and script root; any other link (or one outside a request, as in a
    worker) is built as usual."""
    if (values and endpoint != "static") or endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    key = (endpoint, request.script_root, *values.items())
    urls = current_app.extensions["ui_constant_urls"]
    if key not in urls:
        urls[key] = url_for(endpoint, **values)
    return urls[key]


def _municipality_context(config, municipality_logo: logo.Logo) -> dict:
    """What every template may show of the municipality: from the configuration only, so
    made once per app (phone_hours is translated when it is shown)."""
    return {"get_locale": get_locale, "municipality": {
        "logo_digest": municipality_logo.digest,
        "logo_shows_name": municipality_logo.shows_name,
        "name": config["MUNICIPALITY_NAME"],
        "short_name": config["MUNICIPALITY_SHORT_NAME"],
        "phone": config["MUNICIPALITY_PHONE"],
        "phone_hours": _l("Monday to Friday, 8.30 to 17.00"),
        "email": config["MUNICIPALITY_EMAIL"],
        "visiting_address": config["MUNICIPALITY_VISITING_ADDRESS"],
        "postal_address": config["MUNICIPALITY_POSTAL_ADDRESS"],
    }}


def private_download(content: bytes, filename: str) -> Response:
    """A zaak document or a message attachment, for the resident or for staff, as a
    download that no browser or proxy cache keeps: shared computers are common at
    libraries. Its name and type come from what its content is (app.uploads.served_file),
    so a file is never opened as something else than it is."""
    download_name, mimetype = served_file(filename, content)
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                         download_name=download_name, conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


def portal_links(line: str) -> Markup:
    """A line of a message, escaped, with each address on the portal itself a link (a
    reminder's link to a form or a booking); any other web address stays text."""
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")

    def link(found) -> str:  # the address is escaped already, with the line
        url = found.group()
        if url != base and not url.startswith(base + "/"):
            return url
        return Markup('<a class="utrecht-link utrecht-link--html-a" href="{0}">{0}</a>').format(
            Markup(url))

    return Markup(WEB_ADDRESS.sub(link, str(escape(line))))
