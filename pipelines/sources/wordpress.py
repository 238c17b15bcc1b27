"""The WordPress REST API source: one raw record per post, as the API returned it.

A month is fetched with ``after``/``before`` on the post date (WordPress compares
them exclusively, so the window is (last second of the previous month, first
instant of the next month)), paged with ``page``/``per_page`` and the
``X-WP-TotalPages`` header (checked against ``X-WP-Total``, see ``wp_pages``), with
``_embed=1`` so the post's terms (categories, tags, countries, regions, issues)
travel with it. Incremental updates use ``modified_after`` and a cursor (the newest
``modified`` value seen). Options ``lang`` and ``query.<name>`` add query parameters
to every request (``lang=all`` lists every language of a Polylang/WPML site).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models.records import ParsedAlert, ParseError, QuarantineReason, RawRecord
from pipelines.sources.http import HttpClient, response_json
from pipelines.sources.text import build_alert
from pipelines.sources.wp_pages import fetch_listing

CONTENT_TYPE = "application/json"
MAX_PER_PAGE = 100
LANGUAGE_FIELDS = ("lang", "language", "wpml_current_locale", "wpml_language", "locale")
LIGHT_FIELDS = "id,date,modified"
"""All a scan for changed months needs: no content, no embedded terms."""


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
    embedded = post.get("_embedded")
    groups = (embedded.get("wp:term") if isinstance(embedded, dict) else None) or []
    names: list[str] = []
    for group in groups:
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or not term.get("name"):
                continue
            if taxonomies and term.get("taxonomy") not in taxonomies:
                continue
            if isinstance(term["name"], str) and term["name"] not in names:
                names.append(term["name"])
    return names


def publication_month(post: Mapping[str, Any]) -> str:
    """``YYYY-MM`` of a post's date; the current month when the date is unusable."""
    value = str(post.get("date") or post.get("date_gmt") or "")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m")
    except ValueError:
        return datetime.now(UTC).strftime("%Y-%m")


def extra_query(options: Mapping[str, str]) -> dict[str, str]:
    """Query parameters sent with every request: ``lang`` and each ``query.<name>``."""
    extra = {k[len("query."):]: v for k, v in options.items() if k.startswith("query.")}
    if options.get("lang"):
        extra["lang"] = options["lang"]
    return extra


def modified_query(cursor: str | None) -> dict[str, str | int]:
    """Posts in order of modification, after the cursor when there is one."""
    query: dict[str, str | int] = {"orderby": "modified", "order": "asc"}
    return query | ({"modified_after": cursor} if cursor else {})


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
    query: dict[str, str] = field(default_factory=dict)
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
            query=extra_query(options),
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
        yield from (self._record(post, month) for post in self._paged(params))

    def fetch_modified_since(self, cursor: str | None) -> tuple[list[RawRecord], str | None]:
        """Posts modified after ``cursor`` (all posts when None), and the new cursor.

        Each record's partition is the month of its publication date."""
        posts = self._paged(modified_query(cursor))
        records = [self._record(p, publication_month(p)) for p in posts]
        return records, newest_modified(posts, cursor)

    def changed_months(self, cursor: str | None) -> tuple[list[str], str | None]:
        """Months of the posts modified after ``cursor``, and the new cursor: a light scan
        (``_fields=id,date,modified``, nothing embedded) for the incremental schedule."""
        posts = self._paged({**modified_query(cursor), "_fields": LIGHT_FIELDS}, embed=False)
        return sorted({publication_month(p) for p in posts}), newest_modified(posts, cursor)

    def latest_modified(self) -> str | None:
        """The newest ``modified`` time on the site (one small request): a first cursor."""
        query = {**self.query, "orderby": "modified", "order": "desc", "per_page": 1,
                 "_fields": "id,modified"}
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

    def _paged(self, params: dict[str, str | int], embed: bool = True) -> list[dict[str, Any]]:
        """Every post of a query (with the source's extra query), checked against X-WP-Total."""
        query = {**self.query, **params, **({"_embed": 1} if embed else {})}
        return fetch_listing(self.client, self.endpoint, query, self.per_page)

    def _record(self, post: dict[str, Any], month: str) -> RawRecord:
        return RawRecord(
            source=self.name,
            source_id=str(post.get("id")),
            partition_month=month,
            payload=json.dumps(post, sort_keys=True, ensure_ascii=False).encode("utf-8"),
            content_type=CONTENT_TYPE,
            fetched_at=datetime.now(UTC),
            url=as_text(post.get("link")),
            published_hint=as_text(post.get("date") or post.get("date_gmt")),
        )


def as_text(value: Any) -> str | None:
    """A string field of a post for the raw record; None when it is not a string."""
    return value if isinstance(value, str) else None


def newest_modified(posts: list[dict[str, Any]], cursor: str | None) -> str | None:
    """The newest ``modified`` among the posts, or ``cursor`` when none is newer."""
    stamps = [p["modified"] for p in posts if isinstance(p.get("modified"), str)]
    return max([*stamps, *([cursor] if cursor else [])], default=None)
