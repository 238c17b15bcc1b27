"""The WordPress REST API source: one raw record per post, as the API returned it.

A month is fetched with ``after``/``before`` on the post date (WordPress compares
them exclusively, so the window is (last second of the previous month, first
instant of the next month)), paged with ``page``/``per_page`` and the
``X-WP-TotalPages`` header, with ``_embed=1`` so the post's terms (categories,
tags, countries, regions, issues) travel with it. Incremental updates use
``modified_after`` and a cursor (the newest ``modified`` value seen).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.sources.http import HttpClient, HttpFetchError, response_json
from pipelines.sources.text import build_alert

CONTENT_TYPE = "application/json"
MAX_PER_PAGE = 100
LANGUAGE_FIELDS = ("lang", "language", "wpml_current_locale", "wpml_language", "locale")


def month_after_bound(month_start: date) -> str:
    """The exclusive ``after`` bound that includes the month's first second."""
    first = datetime(month_start.year, month_start.month, 1)
    return (first - timedelta(seconds=1)).isoformat()


def next_month(month_start: date) -> date:
    return date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)


def posts_endpoint(url: str, post_type: str = "posts") -> str:
    """``https://site`` or ``https://site/wp-json`` → the REST collection URL."""
    base = url.rstrip("/")
    if "/wp-json" in base:
        base = base[: base.index("/wp-json")]
    return f"{base}/wp-json/wp/v2/{post_type}"


def post_language(post: Mapping[str, Any]) -> str | None:
    """Language of a post from Polylang (``lang``) or WPML (``wpml_current_locale``) fields."""
    for name in LANGUAGE_FIELDS:
        value = post.get(name)
        if isinstance(value, dict):
            value = value.get("code") or value.get("locale")
        if isinstance(value, str) and value.strip():
            return value.strip().replace("-", "_").split("_")[0].lower()
    return None


def embedded_terms(post: Mapping[str, Any], taxonomies: frozenset[str] | None) -> list[str]:
    """Names of the terms embedded under ``_embedded['wp:term']``, in order, once each."""
    groups = (post.get("_embedded") or {}).get("wp:term") or []
    names: list[str] = []
    for group in groups:
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or not term.get("name"):
                continue
            if taxonomies and term.get("taxonomy") not in taxonomies:
                continue
            if term["name"] not in names:
                names.append(term["name"])
    return names


def publication_month(post: Mapping[str, Any]) -> str:
    """``YYYY-MM`` of a post's date; the current month when the date is unusable."""
    value = str(post.get("date") or post.get("date_gmt") or "")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m")
    except ValueError:
        return datetime.now(UTC).strftime("%Y-%m")


def rendered(value: Any) -> str:
    """``{'rendered': '…'}`` or a plain string → the string."""
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


@dataclass
class WordPressSource:
    """Posts of a WordPress site through ``/wp-json/wp/v2/<post_type>``."""

    url: str
    per_page: int = MAX_PER_PAGE
    post_type: str = "posts"
    taxonomies: frozenset[str] | None = None
    client: HttpClient = field(default_factory=HttpClient)
    name: str = "wordpress"

    @classmethod
    def from_config(
        cls, url: str | None, path: str | None, options: dict[str, str]
    ) -> WordPressSource:
        if not url:
            raise ValueError("the wordpress source needs a url (the site or its /wp-json)")
        taxonomies = options.get("taxonomies")
        return cls(
            url=url,
            per_page=min(int(options.get("per_page", MAX_PER_PAGE)), MAX_PER_PAGE),
            post_type=options.get("post_type", "posts"),
            taxonomies=frozenset(t.strip() for t in taxonomies.split(",")) if taxonomies else None,
            client=HttpClient.from_options(options),
        )

    @property
    def endpoint(self) -> str:
        return posts_endpoint(self.url, self.post_type)

    def fetch_month(self, month_start: date) -> Iterator[RawRecord]:
        params: dict[str, str | int] = {
            "after": month_after_bound(month_start),
            "before": next_month(month_start).isoformat() + "T00:00:00",
            "orderby": "date",
            "order": "asc",
        }
        month = month_start.strftime("%Y-%m")
        for post in self._paged(params):
            yield self._record(post, month)

    def fetch_modified_since(self, cursor: str | None) -> tuple[list[RawRecord], str | None]:
        """Posts modified after ``cursor`` (all posts when None), and the new cursor.

        Each record's partition is the month of its publication date."""
        params: dict[str, str | int] = {"orderby": "modified", "order": "asc"}
        if cursor:
            params["modified_after"] = cursor
        records, newest = [], cursor
        for post in self._paged(params):
            records.append(self._record(post, publication_month(post)))
            modified = post.get("modified")
            if isinstance(modified, str) and (newest is None or modified > newest):
                newest = modified
        return records, newest

    def latest_modified(self) -> str | None:
        """The newest ``modified`` time on the site (one small request): a first cursor."""
        query = {"orderby": "modified", "order": "desc", "per_page": 1, "_fields": "id,modified"}
        posts = response_json(self.client.get(self.endpoint, params=query))
        return posts[0].get("modified") if isinstance(posts, list) and posts else None

    def parse(self, raw: RawRecord) -> ParsedAlert:
        try:
            post = json.loads(raw.payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ParseError(QuarantineReason.MALFORMED, f"post is not JSON: {error}") from None
        if not isinstance(post, dict):
            raise ParseError(QuarantineReason.MALFORMED, "post is not a JSON object")
        return build_alert(
            raw,
            title=rendered(post.get("title")),
            text=rendered(post.get("content")),
            published=post.get("date") or post.get("date_gmt"),
            source_url=post.get("link"),
            language=post_language(post),
            source_terms=embedded_terms(post, self.taxonomies),
        )

    def fingerprint(self, month_start: date) -> str | None:
        return None

    def _paged(self, params: dict[str, str | int]) -> Iterator[dict[str, Any]]:
        """Every post of a query, page by page, until ``X-WP-TotalPages`` is reached."""
        page, total_pages, header = 1, 1, None
        while page <= total_pages:
            query = {**params, "per_page": self.per_page, "page": page, "_embed": 1}
            try:
                response = self.client.get(self.endpoint, params=query)
            except HttpFetchError as error:
                # Without the header, a full last page makes us ask one page too far:
                # WordPress answers 400 rest_post_invalid_page_number, the end of the list.
                if page > 1 and header is None and error.status == 400:
                    return
                raise
            posts = response_json(response)
            if not isinstance(posts, list):
                raise HttpFetchError(str(response.url), response.status_code,
                                     f"expected a JSON list of posts, got {str(posts)[:200]}")
            if not posts:
                return
            header = response.headers.get("X-WP-TotalPages")
            full_page = len(posts) >= self.per_page
            total_pages = int(header) if header else page + 1 if full_page else page
            yield from (p for p in posts if isinstance(p, dict))
            page += 1

    def _record(self, post: dict[str, Any], month: str) -> RawRecord:
        return RawRecord(
            source=self.name,
            source_id=str(post.get("id")),
            partition_month=month,
            payload=json.dumps(post, sort_keys=True, ensure_ascii=False).encode("utf-8"),
            content_type=CONTENT_TYPE,
            fetched_at=datetime.now(UTC),
            url=post.get("link"),
            published_hint=post.get("date") or post.get("date_gmt"),
        )
