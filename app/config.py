"""Settings, each read from the environment with a safe default.

The README's configuration table lists every variable; keep the two in step.
"""

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    PORTAL_ENV = os.environ.get("PORTAL_ENV", "development")
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}")

    # Login with DigiD through any OpenID Connect provider (a DigiD broker in production).
    OIDC_DISCOVERY_URL = os.environ.get(
        "OIDC_DISCOVERY_URL", "http://localhost:5001/.well-known/openid-configuration"
    )
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "portaal")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "portaal-secret")
    # How the portal proves itself at DigiD's token endpoint: private_key_jwt (NL GOV OpenID
    # Connect profile; required in production) signs each request with OIDC_PRIVATE_KEY_FILE
    # (PEM; empty outside production: a key made in instance/ at first start), whose public
    # half is at /.well-known/jwks.json; client_secret_basic sends OIDC_CLIENT_SECRET.
    OIDC_CLIENT_AUTH = os.environ.get("OIDC_CLIENT_AUTH", "private_key_jwt")
    OIDC_PRIVATE_KEY_FILE = os.environ.get("OIDC_PRIVATE_KEY_FILE", "")
    # Logius' official DigiD logo, shown unaltered beside every "Inloggen met DigiD" button
    # (e.g. /static/img/digid-logo.svg from Logius' communication kit for afnemers; the
    # portal may not ship it). Empty: the button alone.
    DIGID_LOGO_URL = os.environ.get("DIGID_LOGO_URL", "")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid")
    OIDC_BSN_CLAIM = os.environ.get("OIDC_BSN_CLAIM", "bsn")
    # The lowest DigiD level the portal accepts; sent to DigiD as acr_values (a plain name as
    # DigiD's SAML class, an acr URN as it is) and checked again in the ID token's acr.
    OIDC_MIN_LOA = os.environ.get("OIDC_MIN_LOA", "midden")
    OIDC_TIMEOUT_SECONDS = _env_int("OIDC_TIMEOUT_SECONDS", 10)
    # Clock skew allowed when checking an ID token's exp and iat (DigiD's and the staff IdP's).
    OIDC_LEEWAY_SECONDS = _env_int("OIDC_LEEWAY_SECONDS", 60)
    # Where the provider sends the browser back to after logout; empty: our home page.
    OIDC_POST_LOGOUT_REDIRECT_URL = os.environ.get("OIDC_POST_LOGOUT_REDIRECT_URL", "")

    # Staff log in at the municipality's own OpenID Connect provider (Entra ID, Keycloak, ...);
    # the portal keeps their role and team (Beheer > Medewerkers).
    STAFF_OIDC_DISCOVERY_URL = os.environ.get(
        "STAFF_OIDC_DISCOVERY_URL", "http://localhost:5002/.well-known/openid-configuration"
    )
    STAFF_OIDC_CLIENT_ID = os.environ.get("STAFF_OIDC_CLIENT_ID", "backoffice")
    STAFF_OIDC_CLIENT_SECRET = os.environ.get("STAFF_OIDC_CLIENT_SECRET", "backoffice-secret")
    STAFF_OIDC_SCOPES = os.environ.get("STAFF_OIDC_SCOPES", "openid profile")
    STAFF_USERNAME_CLAIM = os.environ.get("STAFF_USERNAME_CLAIM", "preferred_username")

    # Zaken API: requests per token, the demo partner's token (demo only), document size.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/minute")
    API_DEMO_TOKEN = os.environ.get("API_DEMO_TOKEN", "")
    API_DOCUMENT_MAX_MB = _env_int("API_DOCUMENT_MAX_MB", 10)

    # DigiD asks relying parties to end a session after at most 15 idle minutes.
    SESSION_IDLE_TIMEOUT = _env_int("SESSION_IDLE_TIMEOUT", 15 * 60)
    SESSION_WARNING_SECONDS = _env_int("SESSION_WARNING_SECONDS", 2 * 60)
    SESSION_ABSOLUTE_TIMEOUT = _env_int("SESSION_ABSOLUTE_TIMEOUT", 4 * 60 * 60)
    # What a resident typed and had not sent when their session ended waits this long for
    # them to log in again (app.auth.kept).
    KEPT_INPUT_HOURS = _env_int("KEPT_INPUT_HOURS", 24)
    # A feedback link (after a form, a booking, a closed zaak) can be used once, this long.
    FEEDBACK_LINK_DAYS = _env_int("FEEDBACK_LINK_DAYS", 30)
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Number of proxies (load balancer, nginx) in front of the app that set X-Forwarded-*.
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")
    LANGUAGES = ("nl", "en")

    CATALOG_PATH = os.environ.get(
        "CATALOG_PATH", str(Path(__file__).resolve().parent.parent / "content" / "catalog.toml")
    )
    # Zaken: the zaaktypen (catalogi) loaded by `flask seed`, and where documents are stored
    # (outside the web root).
    ZAAKTYPEN_PATH = os.environ.get(
        "ZAAKTYPEN_PATH", str(Path(__file__).resolve().parent.parent / "content" / "zaaktypen.toml")
    )
    DOCUMENTS_PATH = os.environ.get("DOCUMENTS_PATH", str(INSTANCE_DIR / "documents"))
    ADDRESSES_PATH = os.environ.get(
        "ADDRESSES_PATH",
        str(Path(__file__).resolve().parent.parent / "content" / "addresses.toml"),
    )

    # Outside systems (app.ports): which implementation of each port the portal talks to.
    # "local" is the portal's own embedded one; a wrong value stops the app at start.
    ZAKEN_STORE = os.environ.get("ZAKEN_STORE", "local")
    PERSONS_SOURCE = os.environ.get("PERSONS_SOURCE", "local")
    AGENDA_BACKEND = os.environ.get("AGENDA_BACKEND", "local")
    ADDRESS_LOOKUP = os.environ.get("ADDRESS_LOOKUP", "local")
    DOCUMENT_STORE = os.environ.get("DOCUMENT_STORE", "local")
    # Paying online for forms with a fee: mollie (Mollie's Payments API v2, iDEAL; needs
    # MOLLIE_API_KEY) or mock (`python -m mock_psp` at MOCK_PSP_URL; not in production).
    PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "mock")
    MOCK_PSP_URL = os.environ.get("MOCK_PSP_URL", "http://localhost:5003")
    MOLLIE_API_KEY = os.environ.get("MOLLIE_API_KEY", "")
    MOLLIE_API_URL = os.environ.get("MOLLIE_API_URL", "https://api.mollie.com/v2/")
    # Where Mollie's checkout pages are (the CSP's form-action allows it).
    MOLLIE_CHECKOUT_ORIGIN = os.environ.get("MOLLIE_CHECKOUT_ORIGIN", "https://www.mollie.com")
    PAYMENT_TIMEOUT = _env_float("PAYMENT_TIMEOUT", 10.0)
    # ZAKEN_STORE=zgw: the municipality's zaaksysteem through the ZGW APIs (Zaken, Catalogi,
    # Documenten, Besluiten), with the ZGW JWT of this client id and secret; zaken are registered for
    # bronorganisatie ZGW_RSIN with the zaaktypen of the catalogus ZGW_CATALOGUS_URL.
    ZGW_ZAKEN_API_URL = os.environ.get("ZGW_ZAKEN_API_URL", "")
    ZGW_CATALOGI_API_URL = os.environ.get("ZGW_CATALOGI_API_URL", "")
    ZGW_DOCUMENTEN_API_URL = os.environ.get("ZGW_DOCUMENTEN_API_URL", "")
    ZGW_BESLUITEN_API_URL = os.environ.get("ZGW_BESLUITEN_API_URL", "")
    ZGW_CLIENT_ID = os.environ.get("ZGW_CLIENT_ID", "")
    ZGW_SECRET = os.environ.get("ZGW_SECRET", "")
    ZGW_RSIN = os.environ.get("ZGW_RSIN", "")
    ZGW_CATALOGUS_URL = os.environ.get("ZGW_CATALOGUS_URL", "")
    # A Catalogi or Documenten API run apart from the Zaken API may take a client of its own;
    # empty: ZGW_CLIENT_ID and ZGW_SECRET.
    ZGW_CATALOGI_CLIENT_ID = os.environ.get("ZGW_CATALOGI_CLIENT_ID", "")
    ZGW_CATALOGI_SECRET = os.environ.get("ZGW_CATALOGI_SECRET", "")
    ZGW_DOCUMENTEN_CLIENT_ID = os.environ.get("ZGW_DOCUMENTEN_CLIENT_ID", "")
    ZGW_DOCUMENTEN_SECRET = os.environ.get("ZGW_DOCUMENTEN_SECRET", "")
    ZGW_CA_BUNDLE = os.environ.get("ZGW_CA_BUNDLE", "")
    ZGW_TIMEOUT = _env_float("ZGW_TIMEOUT", 5.0)
    # How many calls one page may have in flight at once toward the zaaksysteem.
    ZGW_CONCURRENCY = _env_int("ZGW_CONCURRENCY", 8)
    # The catalogue (zaaktypen, statustypen, resultaattypen) is read once per this many seconds.
    ZGW_CATALOGUE_TTL = _env_int("ZGW_CATALOGUE_TTL", 3600)
    # A resident's Mijn zaken page and zaak pages are kept this many seconds at most;
    # notificaties drop them as soon as one of their zaken changes.
    ZGW_RESIDENT_CACHE_SECONDS = _env_int("ZGW_RESIDENT_CACHE_SECONDS", 300)
    # The portal's service id in DigiD Machtigen: a zaak a gemachtigde sent records the
    # mandate under it (the rol's authenticatieContext); empty: only the login's level.
    DIGID_MACHTIGEN_DIENST_ID = os.environ.get("DIGID_MACHTIGEN_DIENST_ID", "")

    # PERSONS_SOURCE=haalcentraal: the BRP through Haal Centraal BRP Personen 2.x (POST
    # {BRP_API_URL}/personen). The API defines no authentication: the gateway's API key goes
    # in the X-API-KEY header, and/or mutual TLS with the portal's certificate and key. A CA
    # bundle replaces the system's CAs (certificates are always verified). Seconds per call.
    BRP_API_URL = os.environ.get("BRP_API_URL", "")
    BRP_API_KEY = os.environ.get("BRP_API_KEY", "")
    BRP_CA_BUNDLE = os.environ.get("BRP_CA_BUNDLE", "")
    BRP_CLIENT_CERT = os.environ.get("BRP_CLIENT_CERT", "")
    BRP_CLIENT_KEY = os.environ.get("BRP_CLIENT_KEY", "")
    BRP_TIMEOUT = _env_float("BRP_TIMEOUT", 5.0)

    # ADDRESS_LOOKUP=pdok or bag: the BAG through PDOK's Locatieserver (free, public) or the
    # Kadaster's BAG API Individuele Bevragingen (needs a key); seconds per call.
    PDOK_LOCATIESERVER_URL = os.environ.get(
        "PDOK_LOCATIESERVER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1")
    BAG_API_URL = os.environ.get(
        "BAG_API_URL", "https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2")
    BAG_API_KEY = os.environ.get("BAG_API_KEY", "")
    ADDRESS_LOOKUP_TIMEOUT = _env_float("ADDRESS_LOOKUP_TIMEOUT", 5.0)
    # E-forms: definitions, uploads, drafts.
    FORMS_PATH = os.environ.get(
        "FORMS_PATH", str(Path(__file__).resolve().parent.parent / "content" / "forms")
    )
    UPLOADS_PATH = os.environ.get("UPLOADS_PATH", str(INSTANCE_DIR / "uploads"))
    UPLOAD_MAX_MB = _env_int("UPLOAD_MAX_MB", 10)
    # ClamAV's daemon scans every upload when set (unix:///run/clamav/clamd.ctl or
    # tcp://host:3310); a file it cannot scan is refused. Seconds per scan.
    CLAMD_URL = os.environ.get("CLAMD_URL", "")
    CLAMD_TIMEOUT = _env_float("CLAMD_TIMEOUT", 30.0)
    # A step holds up to three files; anything larger is refused before Flask reads it.
    MAX_CONTENT_LENGTH = (UPLOAD_MAX_MB * 3 + 1) * 1024 * 1024
    FORM_RATE_LIMIT = os.environ.get("FORM_RATE_LIMIT", "20 per hour")
    # Mail a visitor who is not logged in has the portal send (continue later, a form's or a
    # booking's confirmation): per client address, and per recipient address.
    MAIL_CLIENT_RATE_LIMIT = os.environ.get("MAIL_CLIENT_RATE_LIMIT", "20 per hour")
    MAIL_RECIPIENT_RATE_LIMIT = os.environ.get("MAIL_RECIPIENT_RATE_LIMIT", "5 per hour")
    DRAFT_DAYS_LOGGED_IN = _env_int("DRAFT_DAYS_LOGGED_IN", 30)
    DRAFT_DAYS_ANONYMOUS = _env_int("DRAFT_DAYS_ANONYMOUS", 7)
    DRAFT_RESUME_LINK_DAYS = _env_int("DRAFT_RESUME_LINK_DAYS", 7)
    DRAFT_SUBMITTED_RETENTION_DAYS = _env_int("DRAFT_SUBMITTED_RETENTION_DAYS", 30)
    # Mijn omgeving: the most confidential documents a resident sees of their own zaak, and how
    # often the contact form may send a verification code.
    PIP_MAX_VERTROUWELIJKHEID = os.environ.get("PIP_MAX_VERTROUWELIJKHEID", "zaakvertrouwelijk")
    CONTACT_CODE_RATE_LIMIT = os.environ.get("CONTACT_CODE_RATE_LIMIT", "10 per hour")
    # The servicenorm for a written answer: a resident's question (the question form, the
    # KCC's questions) or message is answered within this many working days (Monday to
    # Friday) of coming in; every text and both back-office lists say it through this one
    # setting (app.catalog.facts). The service concept (4.4) promises servicenormen but
    # names no figure; 5 working days is the usual one of Dutch municipalities.
    WRITTEN_ANSWER_WORKING_DAYS = _env_int("WRITTEN_ANSWER_WORKING_DAYS", 5)
    # Werken op afspraak: product pages link to online booking when enabled.
    APPOINTMENTS_ENABLED = _env_bool("APPOINTMENTS_ENABLED", True)
    APPOINTMENTS_AGENDA_PATH = os.environ.get(
        "APPOINTMENTS_AGENDA_PATH",
        str(Path(__file__).resolve().parent.parent / "content" / "agenda.toml"),
    )
    # Bookings sent without DigiD per client network (an IPv4 address, an IPv6 /64): a
    # household books a few visits a year, a library or care home a few a day; a day at the
    # balie holds over a hundred places. DigiD bookings count per BSN instead (agenda.toml).
    APPOINTMENTS_BOOKING_RATE_LIMIT = os.environ.get("APPOINTMENTS_BOOKING_RATE_LIMIT",
                                                     "10 per hour;20 per day")
    # Bookings per email address (services.email_key, kept as a keyed hash in the counter).
    APPOINTMENTS_BOOKING_EMAIL_RATE_LIMIT = os.environ.get(
        "APPOINTMENTS_BOOKING_EMAIL_RATE_LIMIT", "5 per hour;10 per day")
    APPOINTMENTS_MANAGE_RATE_LIMIT = os.environ.get("APPOINTMENTS_MANAGE_RATE_LIMIT", "20 per minute")

    # The portal's public address (https://portaal.gemeente.nl): every link in mail and the
    # DigiD redirect_uri are built on it, never on a request's Host; required in production
    # (empty elsewhere: http://localhost:5000). The portal answers only to its host name and
    # to PORTAL_EXTRA_HOSTS (comma-separated, e.g. the name a balancer's health check uses;
    # ".gemeente.nl" takes its subdomains too); any other Host gets 400.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")
    PORTAL_EXTRA_HOSTS = os.environ.get("PORTAL_EXTRA_HOSTS", "")
    # Demo only: give the personas zaken in varied states and messages (`flask seed`).
    DEMO_DATA = _env_bool("DEMO_DATA", False)

    # The CSS class the design-tokens file (app/static/css/tokens.css) puts its variables on.
    THEME_CLASS = os.environ.get("THEME_CLASS", "voorbeeld-theme")
    MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "Gemeente Elburg")
    MUNICIPALITY_SHORT_NAME = os.environ.get("MUNICIPALITY_SHORT_NAME", "Elburg")
    # CBS gemeentecode (4 digits): the BAG lookups decide "in our municipality" with it.
    MUNICIPALITY_CODE = os.environ.get("MUNICIPALITY_CODE", "0230")
    MUNICIPALITY_PHONE = os.environ.get("MUNICIPALITY_PHONE", "14 0525")
    MUNICIPALITY_EMAIL = os.environ.get("MUNICIPALITY_EMAIL", "info@elburg.example")
    MUNICIPALITY_VISITING_ADDRESS = os.environ.get(
        "MUNICIPALITY_VISITING_ADDRESS", "Zuiderzeestraatweg 1-Oost, 8081 GE Elburg"
    )
    MUNICIPALITY_POSTAL_ADDRESS = os.environ.get(
        "MUNICIPALITY_POSTAL_ADDRESS", "Postbus 70, 8080 AB Elburg"
    )
    # The municipality's logo: the path of an SVG file, shown in the header and in mails (as an
    # image only, never inlined). Empty: the neutral logo shipped in app/ui/default-logo.svg.
    # MUNICIPALITY_LOGO_SHOWS_NAME: the logo has the name in it, so it is not written beside it.
    MUNICIPALITY_LOGO = os.environ.get("MUNICIPALITY_LOGO", "")
    MUNICIPALITY_LOGO_SHOWS_NAME = _env_bool("MUNICIPALITY_LOGO_SHOWS_NAME", False)

    # Mail leaves through the outbox: `flask mail worker` delivers it over SMTP.
    SMTP_HOST = os.environ.get("SMTP_HOST", "localhost")
    SMTP_PORT = _env_int("SMTP_PORT", 8025)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    SMTP_TIMEOUT = _env_int("SMTP_TIMEOUT", 30)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Gemeente Elburg <noreply@elburg.example>")
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 10)
    # Seconds before the first retry of a mail the SMTP server did not take; each next
    # retry waits twice as long (at most an hour).
    MAIL_RETRY_SECONDS = _env_int("MAIL_RETRY_SECONDS", 60)

    # ZGW notificaties: the Notificaties API posts to /notificaties/callback with the
    # Authorization header the abonnement was given (NOTIFICATIES_CALLBACK_AUTH; empty: the
    # callback answers 404); `flask notificaties worker` hands them to the handlers.
    NOTIFICATIES_API_URL = os.environ.get("NOTIFICATIES_API_URL", "")
    NOTIFICATIES_CALLBACK_AUTH = os.environ.get("NOTIFICATIES_CALLBACK_AUTH", "")
    # The callback's public URL for the abonnement; empty: PORTAL_BASE_URL + the path.
    NOTIFICATIES_CALLBACK_URL = os.environ.get("NOTIFICATIES_CALLBACK_URL", "")
    NOTIFICATIES_API_TIMEOUT = _env_int("NOTIFICATIES_API_TIMEOUT", 10)
    NOTIFICATIES_API_CA_BUNDLE = os.environ.get("NOTIFICATIES_API_CA_BUNDLE", "")
    NOTIFICATIES_MAX_ATTEMPTS = _env_int("NOTIFICATIES_MAX_ATTEMPTS", 10)
    # Attempts of `flask zaken registration-worker` at registering a submitted form in a
    # remote zaaksysteem (backoff up to an hour: 60 is about two days of outage), then failed.
    REGISTRATION_MAX_ATTEMPTS = _env_int("REGISTRATION_MAX_ATTEMPTS", 60)

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # "json" (one object a line, the default in production) or "text" (the default elsewhere).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "")
    # Prometheus scrapes GET /metrics with "Authorization: Bearer <METRICS_TOKEN>"; empty: the
    # portal has no /metrics.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # /.well-known/security.txt (RFC 9116): where to report a vulnerability (mailto: or https:
    # URIs, comma-separated) and until when that holds (an ISO 8601 date, at most a year
    # ahead); empty: no security.txt.
    SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
    SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES", "")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    PORTAL_ENV = "test"
    DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    # The test client's own origin (its requests carry Host: localhost).
    PORTAL_BASE_URL = "http://localhost"
    PORTAL_EXTRA_HOSTS = ""
    # The suite logs in far more often than a person; the limit has its own test.
    LOGIN_RATE_LIMIT = "1000 per minute"
    FORM_RATE_LIMIT = "1000 per minute"
    MAIL_CLIENT_RATE_LIMIT = "1000 per minute"
    MAIL_RECIPIENT_RATE_LIMIT = "1000 per minute"
    APPOINTMENTS_BOOKING_RATE_LIMIT = "1000 per minute"
    APPOINTMENTS_BOOKING_EMAIL_RATE_LIMIT = "1000 per minute"
