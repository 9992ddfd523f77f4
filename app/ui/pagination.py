"""One page of a long list: which page, how many there are, and the links to the others.

Every paged list (Mijn zaken, Berichten, the work queue, the KCC's lists) reads its page
number from ``?pagina=`` and renders the same ``ui.pagination`` macro from this object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from math import ceil
from typing import Any, TypeVar

from flask import request, url_for

PAGE_ARGUMENT = "pagina"
T = TypeVar("T")


def requested_page() -> int:
    """The list page asked for (`?pagina=`), at least 1; anything else reads as the first."""
    try:
        return max(1, int(request.args.get(PAGE_ARGUMENT, "1")))
    except ValueError:
        return 1


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int
    endpoint: str                     # the list's view, for the links
    args: dict[str, Any] = field(default_factory=dict)  # the list's other query arguments

    @classmethod
    def of(cls, total: int, per_page: int, endpoint: str, **args: Any) -> Pagination:
        """The requested page of a list of `total` items; past the last page (an old link),
        the last one."""
        pages = max(1, ceil(total / per_page))
        return cls(min(requested_page(), pages), per_page, total, endpoint, args)

    @classmethod
    def read(cls, read_page: Callable[[int, int], T], per_page: int, endpoint: str, *,
             total: Callable[[T], int], count: Callable[[], int] | None = None,
             **args: Any) -> tuple[Pagination, T]:
        """The requested page of a list whose read also counts it: read_page(offset, limit)
        answers the page, total(answer) the number of them all. Past the last page (an old
        link) the last one is read instead; count() tells how many there are when the read
        of an empty page cannot (a count over the page's own rows)."""
        page = requested_page()
        answer = read_page((page - 1) * per_page, per_page)
        number = total(answer)
        if page > 1 and number <= (page - 1) * per_page:
            number = count() if count is not None and number == 0 else number
            page = max(1, ceil(number / per_page))
            answer = read_page((page - 1) * per_page, per_page)
        return cls(page, per_page, number, endpoint, args), answer

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def previous_href(self) -> str | None:
        return self._href(self.page - 1) if self.page > 1 else None

    @property
    def next_href(self) -> str | None:
        return self._href(self.page + 1) if self.page < self.pages else None

    def _href(self, page: int) -> str:
        return url_for(self.endpoint, **self.args, **{PAGE_ARGUMENT: page})
