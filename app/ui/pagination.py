"""One page of a long list: which page, how many there are, and the links to the others.

Every paged list (Mijn zaken, Berichten, the work queue, the KCC's lists) reads its page
number from ``?pagina=`` and renders the same ``ui.pagination`` macro from this object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from flask import request, url_for

PAGE_ARGUMENT = "pagina"


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
