"""WordPressSource end to end against a WordPress-shaped server on 127.0.0.1."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from models.records import ParseError, QuarantineReason, RawRecord
from pipelines.sources.http import HttpFetchError
from pipelines.sources.wordpress import WordPressSource, posts_endpoint
from pipelines.sources.wp_pages import ListingMismatchError
from tests.wp_server import WordPressServer

FAST = {"backoff": "0.01", "min_interval": "0", "retries": "3", "timeout": "5"}
BODY = (
    "<p>Journalist <strong>Ayşe Demir</strong> was detained in Istanbul &amp; held."
    "<br>Police raided the newsroom.</p><ul><li>first</li><li>second</li></ul>"
    "<figure><img src='x.jpg'><figcaption>Photo credit</figcaption></figure>"
    "<script>track()</script>"
)


def source_for(server: WordPressServer, **options: str) -> WordPressSource:
    return WordPressSource.from_config(server.url, None, {**FAST, "per_page": "2", **options})


def fill(server: WordPressServer) -> None:
    server.add_post(1, "2021-02-28T23:59:59", "Before March", "<p>February text</p>")
    server.add_post(
        2,
        "2021-03-01T00:00:00",
        "Arrest in Turkey",
        BODY,
        terms=[("category", "Arrest"), ("country", "Turkey"), ("post_tag", "press")],
        lang="en",
    )
    for number in range(3, 7):
        server.add_post(
            number,
            f"2021-03-{number + 10}T12:00:00",
            f"Alert {number}",
            f"<p>Text of alert {number}</p>",
            wpml_current_locale="fr_FR",
        )
    server.add_post(7, "2021-03-31T23:59:59", "Last second", "<p>End of month</p>")
    server.add_post(8, "2021-04-01T00:00:00", "April", "<p>April text</p>")


def test_endpoint_from_site_or_api_root() -> None:
    assert posts_endpoint("https://ifex.org/") == "https://ifex.org/wp-json/wp/v2/posts"
    assert posts_endpoint("https://ifex.org/wp-json") == "https://ifex.org/wp-json/wp/v2/posts"
    assert posts_endpoint("https://x.org/wp-json/wp/v2/", "alert").endswith("/wp/v2/alert")


def test_fetch_month_pages_through_exactly_the_month_and_parses() -> None:
    with WordPressServer() as server:
        fill(server)
        source = source_for(server)
        records = list(source.fetch_month(date(2021, 3, 1)))
    assert [r.source_id for r in records] == ["2", "3", "4", "5", "6", "7"]
    pages = [int(r["query"]["page"]) for r in server.requests]
    assert pages == [1, 2, 3]
    assert all(r["query"]["_embed"] == "1" for r in server.requests)
    first = records[0]
    assert first.partition_month == "2021-03" and first.content_type == "application/json"
    assert first.url.endswith("/alerts/post-2/") and first.published_hint == "2021-03-01T00:00:00"
    assert json.loads(first.payload)["id"] == 2
    alert = source.parse(first)
    assert alert.title == "Arrest in Turkey"
    assert alert.published == date(2021, 3, 1)
    assert "Ayşe Demir was detained in Istanbul & held." in alert.text
    assert "- first" in alert.text and "Photo credit" not in alert.text
    assert "track()" not in alert.text
    assert alert.language == "en"
    assert alert.source_terms == ["Arrest", "Turkey", "press"]
    assert source.parse(records[1]).language == "fr"
    assert source.fingerprint(date(2021, 3, 1)) is None


def test_taxonomy_filter_keeps_only_chosen_terms() -> None:
    with WordPressServer() as server:
        fill(server)
        source = source_for(server, taxonomies="country,category")
        record = next(iter(source.fetch_month(date(2021, 3, 1))))
    assert source.parse(record).source_terms == ["Arrest", "Turkey"]


def test_throttled_and_failing_pages_are_retried() -> None:
    with WordPressServer() as server:
        fill(server)
        server.behaviour.throttle_next = 2
        records = list(source_for(server).fetch_month(date(2021, 3, 1)))
        server.behaviour.fail_next = 1
        again = list(source_for(server).fetch_month(date(2021, 3, 1)))
    assert len(records) == len(again) == 6


def test_failed_fetch_names_status_and_url() -> None:
    with WordPressServer() as server:
        fill(server)
        server.behaviour.fail_next, server.behaviour.fail_status = 100, 503
        with pytest.raises(HttpFetchError) as caught:
            list(source_for(server, retries="1").fetch_month(date(2021, 3, 1)))
    assert caught.value.status == 503
    assert "/wp-json/wp/v2/posts?" in caught.value.url and "after=2021-02-28T23" in caught.value.url
    assert "HTTP 503" in str(caught.value)


def test_a_page_that_is_not_a_list_of_posts_fails_the_month() -> None:
    with WordPressServer() as server:
        fill(server)
        server.behaviour.garbage_next = 1
        with pytest.raises(HttpFetchError) as caught:
            list(source_for(server).fetch_month(date(2021, 3, 1)))
    assert caught.value.status == 200 and "not JSON" in str(caught.value)
    assert "/wp-json/wp/v2/posts?" in caught.value.url and "page=1" in caught.value.url


def test_incremental_updates_follow_the_modified_cursor() -> None:
    with WordPressServer() as server:
        fill(server)
        source = source_for(server)
        everything, cursor = source.fetch_modified_since(None)
        assert len(everything) == 8 and cursor == "2021-04-01T00:00:00"
        nothing, same = source.fetch_modified_since(cursor)
        assert nothing == [] and same == cursor
        server.edit_post(3, "2024-05-02T10:00:00", title="Alert 3 (updated)")
        server.edit_post(1, "2024-05-02T11:00:00", content="<p>Corrected</p>")
        changed, newer = source.fetch_modified_since(cursor)
    assert [(r.source_id, r.partition_month) for r in changed] == [
        ("3", "2021-03"),
        ("1", "2021-02"),
    ]
    assert newer == "2024-05-02T11:00:00"
    assert source.parse(changed[0]).title == "Alert 3 (updated)"
    assert changed[0].content_hash != everything[2].content_hash


def test_malformed_and_empty_posts_are_quarantined() -> None:
    with WordPressServer() as server:
        server.add_post(1, "2022-01-05T10:00:00", "No body", "<p> </p><script>x()</script>")
        server.add_post(2, "2022-01-06T10:00:00", "", "<p>Body without title</p>")
        server.add_post(3, "2022-01-07T10:00:00", "Bad date", "<p>Body</p>")
        source = source_for(server)
        records = list(source.fetch_month(date(2022, 1, 1)))
    reasons = []
    for record in records:
        with pytest.raises(ParseError) as caught:
            source.parse(record if record.source_id != "3" else _with_date(record, "not a date"))
        reasons.append(caught.value.reason)
    assert reasons == [
        QuarantineReason.EMPTY_TEXT,
        QuarantineReason.NO_TITLE,
        QuarantineReason.BAD_DATE,
    ]
    broken = _replace_payload(records[0], b"{not json")
    with pytest.raises(ParseError) as caught:
        source.parse(broken)
    assert caught.value.reason == QuarantineReason.MALFORMED


def _with_date(record: RawRecord, value: str) -> RawRecord:
    post = json.loads(record.payload)
    post["date"] = post["date_gmt"] = value
    return _replace_payload(record, json.dumps(post).encode())


def _replace_payload(record: RawRecord, payload: bytes) -> RawRecord:
    return replace(record, payload=payload)


def delete_after_first_page(post_id: int):
    """A post deleted while we page: every later post moves up one place, once."""
    done = []

    def hook(server: WordPressServer, query: dict[str, str]) -> None:
        if query.get("page") == "1" and not done:
            done.append(True)
            server.delete_post(post_id)

    return hook


def test_posts_shifted_between_pages_are_paged_again() -> None:
    with WordPressServer() as server:
        fill(server)
        server.behaviour.after_page = delete_after_first_page(2)
        records = list(source_for(server).fetch_month(date(2021, 3, 1)))
    # The first paging saw 2, 3 then 5, 6, 7 (4 moved onto page 1): 5 posts, totals 6 and 5.
    assert [r.source_id for r in records] == ["3", "4", "5", "6", "7"]
    assert [int(r["query"]["page"]) for r in server.requests] == [1, 2, 3, 1, 2, 3]


def test_a_total_that_never_matches_fails_the_month_naming_url_and_counts() -> None:
    with WordPressServer() as server:
        fill(server)
        server.behaviour.total_offset = 1
        with pytest.raises(ListingMismatchError) as caught:
            list(source_for(server).fetch_month(date(2021, 3, 1)))
    assert isinstance(caught.value, HttpFetchError)
    assert "received 6 posts but X-WP-Total said 7" in str(caught.value)
    assert caught.value.url.startswith(server.url + "/wp-json/wp/v2/posts?")
    assert "after=2021-02-28T23" in caught.value.url and caught.value.url in str(caught.value)
    assert len(server.requests) == 3 + 3  # paged once more before giving up


def multilingual_site(server: WordPressServer) -> None:
    server.behaviour.default_lang = "en"
    server.add_post(1, "2021-03-02T10:00:00", "Journalist arrested", "<p>Text</p>", lang="en")
    server.add_post(2, "2021-03-03T10:00:00", "Journaliste arrêté", "<p>Texte</p>", lang="fr")
    server.add_post(3, "2021-03-04T10:00:00", "Periodista detenido", "<p>Texto</p>", lang="es")


@pytest.mark.parametrize(("lang", "expected"), [(None, ["1"]), ("all", ["1", "2", "3"]),
                                                 ("fr", ["2"])])
def test_lang_option_fetches_posts_of_other_languages(lang: str | None, expected) -> None:
    options = {"lang": lang} if lang else {}
    with WordPressServer() as server:
        multilingual_site(server)
        source = source_for(server, **options)
        records = list(source.fetch_month(date(2021, 3, 1)))
        source.latest_modified()
    assert [r.source_id for r in records] == expected
    assert all(r["query"].get("lang") == lang for r in server.requests)
    if lang == "all":
        assert [source.parse(r).language for r in records] == ["en", "fr", "es"]


def test_extra_query_parameters_are_sent_with_every_request() -> None:
    with WordPressServer() as server:
        multilingual_site(server)
        source = source_for(server, **{"query.lang": "all", "query.status": "publish"})
        records = list(source.fetch_month(date(2021, 3, 1)))
        source.changed_months(None)
    assert len(records) == 3
    assert all(r["query"]["lang"] == "all" and r["query"]["status"] == "publish"
               for r in server.requests)


def test_changed_months_scan_is_light() -> None:
    with WordPressServer() as server:
        fill(server)
        server.edit_post(3, "2024-05-02T10:00:00", title="Alert 3 (updated)")
        server.edit_post(8, "2024-05-02T11:00:00", title="April (updated)")
        months, cursor = source_for(server).changed_months("2024-01-01T00:00:00")
    assert (months, cursor) == (["2021-03", "2021-04"], "2024-05-02T11:00:00")
    [query] = [r["query"] for r in server.requests]
    assert query["_fields"] == "id,date,modified" and "_embed" not in query
    assert query["modified_after"] == "2024-01-01T00:00:00"
