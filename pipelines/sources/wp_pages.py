"""Paging through a WordPress REST collection, checked against ``X-WP-Total``.

Pages are asked for until ``X-WP-TotalPages`` (or a short page when the header is
missing). When posts are published, deleted or re-dated while we page, they shift
between pages and one can be missed or seen twice: the posts received (by id) are
then fewer or more than ``X-WP-Total``, or the total changes from page to page. Such
a listing is paged once more, and if it still does not add up the fetch fails with
:class:`ListingMismatchError` naming the URL and the counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from pipelines.sources.http import HttpClient, HttpFetchError, response_json

Query = Mapping[str, str | int]


class ListingMismatchError(HttpFetchError):
    """The posts received do not match the ``X-WP-Total`` the server reported."""


@dataclass
class Listing:
    """The posts of one paging of a query, and the totals each page reported."""

    url: str
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    totals: set[int] = field(default_factory=set)
    status: int = 200

    @property
    def consistent(self) -> bool:
        """True without a total header, else when every page agreed with the posts seen."""
        return not self.totals or self.totals == {len(self.posts)}

    def mismatch(self) -> str:
        said = ", then ".join(str(t) for t in sorted(self.totals))
        return (f"received {len(self.posts)} posts but X-WP-Total said {said} "
                "(posts shifted between pages, also when paged again)")


def fetch_listing(client: HttpClient, endpoint: str, query: Query, per_page: int
                  ) -> list[dict[str, Any]]:
    """Every post of ``query`` in server order; re-paged once when the counts disagree."""
    listing = page_through(client, endpoint, query, per_page)
    if not listing.consistent:
        listing = page_through(client, endpoint, query, per_page)
    if not listing.consistent:
        raise ListingMismatchError(listing.url, listing.status, listing.mismatch())
    return list(listing.posts.values())


def page_through(client: HttpClient, endpoint: str, query: Query, per_page: int) -> Listing:
    """One paging of a query, posts keyed by id (a post seen twice counts once)."""
    listing = Listing(url=str(httpx.URL(endpoint, params=dict(query))))
    page, total_pages, header = 1, 1, None
    while page <= total_pages:
        try:
            response = client.get(endpoint, params={**query, "per_page": per_page, "page": page})
        except HttpFetchError as error:
            # Without the header, a full last page makes us ask one page too far:
            # WordPress answers 400 rest_post_invalid_page_number, the end of the list.
            if page > 1 and header is None and error.status == 400:
                return listing
            raise
        posts, listing.status = page_posts(response), response.status_code
        header = response.headers.get("X-WP-TotalPages")
        if total := response.headers.get("X-WP-Total"):
            listing.totals.add(int(total))
        if not posts:
            return listing
        listing.posts.update((str(p.get("id")), p) for p in posts)
        full_page = len(posts) >= per_page
        total_pages = int(header) if header else page + 1 if full_page else page
        page += 1
    return listing


def page_posts(response: httpx.Response) -> list[dict[str, Any]]:
    """The posts of one page; anything but a JSON list fails with status and URL."""
    posts = response_json(response)
    if not isinstance(posts, list):
        raise HttpFetchError(str(response.url), response.status_code,
                             f"expected a JSON list of posts, got {str(posts)[:200]}")
    return [p for p in posts if isinstance(p, dict)]
