"""Pages of a long list without counting it: the page's rows plus one more (is there a next page?),
and a count that stops at ``COUNT_CAP`` (queues/selectors.py) — so a page over a million
complaints never runs ``COUNT(*)`` over them all."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass
class ListPage:
    number: int
    size: int
    total: int  # the rows the list holds, at most cap + 1 (then shown as "999+")
    cap: int
    rows: list = field(default_factory=list)
    has_next: bool = False

    @property
    def capped(self) -> bool:
        return self.total > self.cap

    @property
    def num_pages(self) -> int | None:
        """The number of pages, when the total is known (not capped)."""
        return None if self.capped else max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def page_number(text: str | None) -> int:
    """The page asked for; anything that is not a positive whole number is page 1."""
    try:
        number = int(text or 1)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def page_fill(page: ListPage, queryset: QuerySet) -> ListPage:
    """Read the page's rows (one query): ``size + 1`` rows tell whether a next page exists. A page
    past the end of a list whose total is known becomes its last page."""
    if page.num_pages is not None and page.number > page.num_pages:
        page.number = page.num_pages
    start = (page.number - 1) * page.size
    rows = list(queryset[start : start + page.size + 1])
    page.has_next = len(rows) > page.size
    page.rows = rows[: page.size]
    return page
