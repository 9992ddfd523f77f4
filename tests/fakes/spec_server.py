"""A stand-in for a remote API that keeps state and holds both sides to the official spec.

A test (or a fake built on this, like tests/fakes/brp.py) registers handlers for the
operations it needs; the server runs on a loopback port in a thread. Every request the
portal sends is validated against the OpenAPI file in specs/ before a handler sees it, and
every response a handler gives is validated before it leaves: a request the spec does not
allow answers 400 and, like a response the spec does not allow, is kept in ``violations``,
which the fixture that owns the server asserts empty at teardown. So a connector cannot
pass its tests by speaking a dialect only our own fake understands.

Faults are injected per operation: ``fail("GET", "/personen", status=500)`` answers the
next call with that status, ``delay`` makes it slow enough to trip a client's timeout.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SPECS = Path(__file__).resolve().parents[2] / "specs"

Handler = Callable[..., "Reply"]


@dataclass
class Reply:
    """What a handler answers: a status, a JSON body (or raw bytes) and headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def response(self) -> Response:
        if isinstance(self.body, bytes):
            data = self.body
        else:
            data = b"" if self.body is None else json.dumps(self.body).encode()
        return Response(data, status=self.status, headers=self.headers,
                        content_type=self.content_type if data else None)


@dataclass
class _Fault:
    status: int | None
    delay: float
    times: int


@dataclass
class _Route:
    method: str
    template: str
    pattern: re.Pattern
    handler: Handler


class SpecCheckedServer:
    """Serve registered handlers on 127.0.0.1, checking each exchange against ``spec``."""

    def __init__(self, spec_file: str, *, check_responses: bool = True) -> None:
        self._spec_file = SPECS / spec_file
        self._check_responses = check_responses
        self._routes: list[_Route] = []
        self._faults: dict[tuple[str, str], _Fault] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.base_path = self._spec_base_path()
        self.base_url = self.url + self.base_path
        self._openapi = self._load_spec_served_here()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ set-up

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        """Register ``handler(request, **path_params) -> Reply`` for a path of the spec
        (relative to its server, e.g. "/zaken/{uuid}")."""
        def register(handler: Handler) -> Handler:
            pattern = re.compile(
                "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$")
            self._routes.append(_Route(method.upper(), template, pattern, handler))
            return handler
        return register

    def fail(self, method: str, template: str, *, status: int | None = 500,
             delay: float = 0.0, times: int = 1) -> None:
        """Answer the next ``times`` calls of an operation with ``status`` after ``delay``
        seconds (status None: the handler answers, only late)."""
        with self._lock:
            self._faults[(method.upper(), template)] = _Fault(status, delay, times)

    def calls(self, method: str, template: str) -> list[Request]:
        """The requests that reached an operation (faulted ones included)."""
        pattern = next(r.pattern for r in self._routes
                       if r.method == method.upper() and r.template == template)
        return [r for r in self.requests if r.method == method.upper()
                and pattern.match(r.path.removeprefix(self.base_path))]

    def start(self) -> SpecCheckedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def assert_no_violations(self) -> None:
        assert not self.violations, "the exchange broke the spec:\n" + "\n".join(self.violations)

    # ------------------------------------------------------------------ serving

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        request.get_data(cache=True)
        with self._lock:
            self.requests.append(request)
        return self._answer(request)(environ, start_response)

    def _answer(self, request: Request) -> Response:
        route, params = self._match(request)
        if route is None:
            self._violation(f"{request.method} {request.full_path}: no such operation here")
            return Reply(404, {"detail": "not found"}).response()
        fault = self._take_fault(route)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status is not None:
                return Reply(fault.status, {"detail": "injected fault"}).response()
        errors = [str(e) for e in self._openapi.iter_request_errors(
            WerkzeugOpenAPIRequest(request))]
        if errors:
            self._violation(f"{request.method} {request.full_path}: request: {errors}")
            return Reply(400, {"detail": "request does not match the spec",
                               "errors": errors}).response()
        response = route.handler(request, **params).response()
        if self._check_responses:
            response_errors = [str(e) for e in self._openapi.iter_response_errors(
                WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))]
            if response_errors:
                self._violation(f"{request.method} {request.full_path}: "
                                f"response {response.status_code}: {response_errors}")
        return response

    def _match(self, request: Request) -> tuple[_Route | None, dict[str, str]]:
        path = request.path.removeprefix(self.base_path) or "/"
        for route in self._routes:
            found = route.pattern.match(path)
            if found and route.method == request.method:
                return route, found.groupdict()
        return None, {}

    def _take_fault(self, route: _Route) -> _Fault | None:
        with self._lock:
            fault = self._faults.get((route.method, route.template))
            if fault is None:
                return None
            fault.times -= 1
            if fault.times <= 0:
                del self._faults[(route.method, route.template)]
            return fault

    def _violation(self, text: str) -> None:
        with self._lock:
            self.violations.append(text)

    # ------------------------------------------------------------------ the spec

    def _spec_base_path(self) -> str:
        server = _parsed(self._spec_file)["servers"][0]["url"]
        return re.sub(r"^https?://[^/]+", "", server).rstrip("/")

    def _load_spec_served_here(self) -> OpenAPI:
        """The spec with its servers pointed at this fake, so the validator finds the
        operation from the URL the portal called.

        Two gaps of openapi-core (0.23) are closed here, for every spec: it parses only
        application/json bodies (a ``+json`` one, such as problem+json or hal+json, would be
        reported as "not of type object"), and its werkzeug response adapter gives the
        mimetype without parameters, so a response media type with them (``application/json;
        charset=utf-8``) is offered bare too, with the same schema. Requests are held to the
        spec's media types unchanged."""
        spec = copy.deepcopy(_parsed(self._spec_file))
        spec["servers"] = [{"url": self.base_url}]
        for content in _response_contents(spec):
            for media_type in list(content):
                content.setdefault(media_type.split(";")[0].strip(), content[media_type])
        config = Config(extra_media_type_deserializers={
            media_type: _json for media_type in _media_types(spec)
            if media_type.endswith("+json")})
        return OpenAPI.from_dict(spec, base_uri=self._spec_file.as_uri(), config=config)


def _response_contents(spec: dict) -> list[dict]:
    """The ``content`` maps of every response the spec defines."""
    operations = [operation for path in spec["paths"].values()
                  for operation in path.values() if isinstance(operation, dict)]
    responses = [response for operation in operations
                 for response in operation.get("responses", {}).values()]
    responses += spec.get("components", {}).get("responses", {}).values()
    return [response["content"] for response in responses if "content" in response]


def _media_types(node: Any) -> set[str]:
    """Every media type the spec names for a body (requests and responses), bare."""
    if isinstance(node, list):
        return set().union(*map(_media_types, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = set()
    for key, value in node.items():
        if key == "content" and isinstance(value, dict):
            found |= {media_type.split(";")[0].strip() for media_type in value}
        found |= _media_types(value)
    return found


def _json(value, **_parameters):
    return json.loads(value)


@cache
def _parsed(spec_file: Path) -> dict:
    # The Zaken spec is 800 kB of YAML: parse each file once per test run.
    return yaml.load(spec_file.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
