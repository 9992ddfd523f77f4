"""Checks a request against the schemas of the OpenAPI document (app.api.openapi).

A small interpreter of the JSON Schema subset those schemas use (object, string,
integer; required, additionalProperties false, min/maxLength, pattern, enum,
minimum/maximum, format byte), so what the document promises is what is enforced.
Each problem comes back as a ZGW-style invalid param: name (dotted path), code, reason.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InvalidParam:
    name: str
    code: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


NON_FIELD = "nonFieldErrors"


def validate(value: Any, schema: dict, name: str = "") -> list[InvalidParam]:
    """Every problem with ``value`` against ``schema``; [] when it is valid."""
    expected = schema.get("type")
    if expected == "object":
        return _object(value, schema, name)
    if expected == "string":
        return _string(value, schema, name)
    if expected == "integer":
        return _integer(value, schema, name)
    raise ValueError(f"schema type {expected!r} is not supported here")


def _object(value: Any, schema: dict, name: str) -> list[InvalidParam]:
    if not isinstance(value, dict):
        return [InvalidParam(name or NON_FIELD, "invalid", "Expected a JSON object.")]
    properties = schema.get("properties", {})
    problems = [InvalidParam(_join(name, field), "required", "This field is required.")
                for field in schema.get("required", ()) if field not in value]
    if schema.get("additionalProperties") is False:
        problems += [InvalidParam(_join(name, field), "unknown", "This field does not exist.")
                     for field in value if field not in properties]
    for field, field_schema in properties.items():
        if field in value:
            problems += validate(value[field], field_schema, _join(name, field))
    return problems


def _string(value: Any, schema: dict, name: str) -> list[InvalidParam]:
    if not isinstance(value, str):
        return [InvalidParam(name, "invalid", "Expected a string.")]
    if "\x00" in value:
        return [InvalidParam(name, "invalid", "NUL characters are not allowed.")]
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(schema["enum"])
        return [InvalidParam(name, "invalid_choice", f"Expected one of: {choices}.")]
    if len(value) < schema.get("minLength", 0):
        code = "blank" if not value else "min_length"
        return [InvalidParam(name, code, f"At least {schema['minLength']} characters.")]
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return [InvalidParam(name, "max_length", f"At most {schema['maxLength']} characters.")]
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return [InvalidParam(name, "invalid", f"Must match the pattern {schema['pattern']}.")]
    if schema.get("format") == "byte" and decode_base64(value) is None:
        return [InvalidParam(name, "invalid", "Expected base64 (RFC 4648) content.")]
    return []


def _integer(value: Any, schema: dict, name: str) -> list[InvalidParam]:
    # bool is an int in Python, not in JSON.
    if not isinstance(value, int) or isinstance(value, bool):
        return [InvalidParam(name, "invalid", "Expected an integer.")]
    if "minimum" in schema and value < schema["minimum"]:
        return [InvalidParam(name, "min_value", f"At least {schema['minimum']}.")]
    if "maximum" in schema and value > schema["maximum"]:
        return [InvalidParam(name, "max_value", f"At most {schema['maximum']}.")]
    return []


def decode_base64(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _join(parent: str, field: str) -> str:
    return f"{parent}.{field}" if parent else field


def parse_query(args, parameters: list[dict]) -> tuple[dict[str, Any], list[InvalidParam]]:
    """The query parameters described by ``parameters``, converted to their types."""
    values: dict[str, Any] = {}
    known = {parameter["name"] for parameter in parameters}
    # A misspelt filter must not silently give every zaak.
    problems = [InvalidParam(name, "unknown", "This parameter does not exist.")
                for name in args if name not in known]
    for parameter in parameters:
        name, schema = parameter["name"], parameter["schema"]
        raw = args.getlist(name)
        if not raw:
            continue
        if len(raw) > 1:
            problems.append(InvalidParam(name, "invalid", "Give this parameter once."))
            continue
        value: Any = raw[0]
        if schema["type"] == "integer":
            value = int(value) if re.fullmatch(r"-?\d{1,18}", value) else value
        found = validate(value, schema, name)
        problems += found
        if not found:
            values[name] = value
    return values, problems
