"""The page checker: what every HTML page we serve must get right.

Applied by the test client to every HTML response (tests/conftest.py), so a
page that breaks one of these rules fails whichever test rendered it.
"""

import json
import re
from collections import Counter
from pathlib import Path

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
LABELLED_INPUT_TYPES_EXEMPT = {"hidden", "submit", "button", "reset", "image"}
INLINE_HANDLER = re.compile(r"^on[a-z]+$")
# The classes of the component and layout CSS that the asset build left out, because no
# template or script named them (scripts/build-assets.mjs).
PURGED_CLASSES = frozenset(json.loads(
    (Path(__file__).parent.parent / "app/static/dist/purged-classes.json").read_text("utf-8")))


class PageProblem(AssertionError):
    pass


def check_page(html: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        raise PageProblem(f"invalid HTML: {error} near line {_error_line(parser)}") from error
    problems = [
        *_check_language(root), *_check_heading_and_title(root), *_check_unique_ids(root),
        *_check_labels(root), *_check_no_inline_code(root), *_check_question_said_once(root),
        *_check_classes_built(root),
    ]
    if problems:
        raise PageProblem("; ".join(problems))


def _error_line(parser) -> str:
    return str(parser.errors[0][0]) if parser.errors else "?"


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _check_language(root):
    if root.get("lang") not in {"nl", "en"}:
        yield f"<html lang> is {root.get('lang')!r}"


def _check_heading_and_title(root):
    headings = list(root.iter(f"{NS}h1"))
    if len(headings) != 1:
        yield f"expected one h1, found {len(headings)}"
        return
    title = root.find(f"{NS}head/{NS}title")
    title_text = _text(title) if title is not None else ""
    heading = _text(headings[0])
    for prefix in ("", "Fout: ", "Error: "):
        if title_text.startswith(prefix + heading):
            return
    yield f"title {title_text!r} does not start with the h1 {heading!r}"


def _check_question_said_once(root):
    """A page that asks one question says it once: its label or legend IS the h1 (GOV.UK
    "legend as page heading"), not a second copy under it."""
    headings = list(root.iter(f"{NS}h1"))
    if len(headings) != 1:
        return
    heading = _text(headings[0])
    inside_heading = set(map(id, headings[0].iter()))
    for tag in ("label", "legend"):
        for element in root.iter(f"{NS}{tag}"):
            if (_text(element) == heading and headings[0] not in element.iter()
                    and id(element) not in inside_heading):
                yield f"the h1 {heading!r} is said again by a <{tag}>: make that the page heading"


def _check_unique_ids(root):
    ids = Counter(el.get("id") for el in root.iter() if el.get("id"))
    for element_id, count in ids.items():
        if count > 1:
            yield f"id {element_id!r} used {count} times"


def _check_labels(root):
    label_targets = {label.get("for") for label in root.iter(f"{NS}label")}
    wrapped = {id(control) for label in root.iter(f"{NS}label") for control in label.iter()}
    for control in _form_controls(root):
        if (control.get("id") in label_targets or id(control) in wrapped
                or control.get("aria-label") or control.get("aria-labelledby")):
            continue
        yield f"unlabelled <{control.tag.removeprefix(NS)} name={control.get('name')!r}>"


def _form_controls(root):
    for tag in ("input", "select", "textarea"):
        for control in root.iter(f"{NS}{tag}"):
            if tag == "input" and control.get("type", "text") in LABELLED_INPUT_TYPES_EXEMPT:
                continue
            yield control


def _check_no_inline_code(root):
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("style") is not None:
            yield f"inline style on <{element.tag.removeprefix(NS)}>"
        if any(INLINE_HANDLER.match(name) for name in element.attrib):
            yield f"inline event handler on <{element.tag.removeprefix(NS)}>"
        if element.tag == f"{NS}script" and (element.text or "").strip():
            yield "inline <script>"
        if element.tag == f"{NS}style":
            yield "inline <style>"


def _check_classes_built(root):
    """A class put together in a template ("utrecht-alert--{{ type }}") is invisible to the
    build's scan: unless SAFELIST keeps its family, its rules are not in the CSS."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in (element.get("class") or "").split():
            if name in PURGED_CLASSES:
                yield (f"class {name!r} on <{element.tag.removeprefix(NS)}> is not in the built "
                       "CSS: add it to SAFELIST in scripts/build-assets.mjs")
