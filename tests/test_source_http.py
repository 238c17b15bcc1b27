"""The HTTP client against a real server on 127.0.0.1: retries, Retry-After, errors."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from pipelines.sources.http import (
    USER_AGENT,
    HttpClient,
    HttpFetchError,
    response_json,
    retry_after_seconds,
)
from tests.wp_server import POSTS_PATH, WordPressServer


def fast_client(**overrides: float) -> HttpClient:
    settings = {"timeout": 5.0, "max_retries": 3, "backoff_base": 0.01, "min_interval": 0.0}
    settings.update(overrides)
    return HttpClient(**settings)


def test_retry_after_header_forms() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    later = (now + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert retry_after_seconds("2.5") == 2.5
    assert retry_after_seconds(later, now=now) == pytest.approx(30)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_throttling_is_waited_out_with_retry_after() -> None:
    with WordPressServer() as server:
        server.behaviour.throttle_next, server.behaviour.retry_after = 2, "0.2"
        started = time.monotonic()
        response = fast_client().get(server.url + POSTS_PATH)
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert len(server.requests) == 3
    assert elapsed >= 0.4  # two waits of the Retry-After the server asked for
    assert server.requests[0]["query"]["_user_agent"] == USER_AGENT


def test_server_errors_are_retried_then_reported_with_status_and_url() -> None:
    with WordPressServer() as server:
        server.behaviour.fail_next = 2
        assert fast_client().get(server.url + POSTS_PATH).status_code == 200
        server.behaviour.fail_next = 10
        with pytest.raises(HttpFetchError) as caught:
            fast_client(max_retries=2).get(server.url + POSTS_PATH, params={"page": 3})
    assert caught.value.status == 500
    assert caught.value.url.endswith(POSTS_PATH + "?page=3")
    assert "HTTP 500" in str(caught.value) and server.url in str(caught.value)
    assert len(server.requests) == 3 + 3


def test_client_errors_are_not_retried() -> None:
    with WordPressServer() as server, pytest.raises(HttpFetchError) as caught:
        fast_client().get(server.url + "/wp-json/wp/v2/nothing")
    assert caught.value.status == 404
    assert len(server.requests) == 1


def test_connection_errors_are_retried_with_backoff_then_fail() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago refuses connections
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(HttpFetchError) as caught:
        fast_client(max_retries=3, backoff_base=0.05).get(f"http://127.0.0.1:{port}/x")
    assert caught.value.status is None
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2


def test_polite_interval_between_requests() -> None:
    with WordPressServer() as server:
        client = fast_client(min_interval=0.1)
        started = time.monotonic()
        for _ in range(4):
            client.get(server.url + POSTS_PATH)
    assert time.monotonic() - started >= 0.3


def test_a_longer_retry_after_than_allowed_fails_at_once_with_status_and_url() -> None:
    with WordPressServer() as server:
        server.behaviour.throttle_next, server.behaviour.retry_after = 5, "120"
        with pytest.raises(HttpFetchError) as caught:
            fast_client(max_retry_after=30).get(server.url + POSTS_PATH)
    assert caught.value.status == 429 and caught.value.url == server.url + POSTS_PATH
    assert "retry after 120 s" in str(caught.value)
    assert len(server.requests) == 1  # never sooner than asked


def test_a_body_that_is_not_json_names_status_and_url() -> None:
    with WordPressServer() as server:
        server.behaviour.garbage_next = 1
        response = fast_client().get(server.url + POSTS_PATH, params={"page": 1})
    with pytest.raises(HttpFetchError) as caught:
        response_json(response)
    assert caught.value.status == 200 and caught.value.url.endswith(POSTS_PATH + "?page=1")
    assert "not JSON" in str(caught.value) and "maintenance" in str(caught.value)


@pytest.mark.parametrize("status", [522, 599])
def test_every_5xx_is_retried_honouring_retry_after(status: int) -> None:
    with WordPressServer() as server:
        server.behaviour.fail_next, server.behaviour.fail_status = 2, status
        server.behaviour.fail_retry_after = "0.2"
        started = time.monotonic()
        response = fast_client(backoff_base=5.0).get(server.url + POSTS_PATH)
        elapsed = time.monotonic() - started
        server.behaviour.fail_next = 10
        with pytest.raises(HttpFetchError) as caught:
            fast_client(max_retries=2).get(server.url + POSTS_PATH)
    assert response.status_code == 200
    assert 0.4 <= elapsed < 5.0  # the server's Retry-After, not our 5 s backoff
    assert caught.value.status == status and f"HTTP {status}" in str(caught.value)
    assert len(server.requests) == 3 + 3


@pytest.mark.parametrize("status", [400, 401, 403, 410, 418, 422])
def test_other_4xx_fail_at_once(status: int) -> None:
    with WordPressServer() as server:
        server.behaviour.fail_next, server.behaviour.fail_status = 10, status
        with pytest.raises(HttpFetchError) as caught:
            fast_client().get(server.url + POSTS_PATH)
    assert caught.value.status == status
    assert len(server.requests) == 1


def test_a_read_timeout_is_retried_then_reported() -> None:
    with WordPressServer() as server:
        server.behaviour.stall_next, server.behaviour.stall_seconds = 1, 1.5
        started = time.monotonic()
        response = fast_client(timeout=0.3).get(server.url + POSTS_PATH)
        elapsed = time.monotonic() - started
        server.behaviour.stall_next = 10
        with pytest.raises(HttpFetchError) as caught:
            fast_client(timeout=0.2, max_retries=1).get(server.url + POSTS_PATH)
    assert response.status_code == 200
    assert 0.3 <= elapsed < 1.5  # gave up on the stalled answer and asked again
    assert caught.value.status is None and "ReadTimeout" in str(caught.value)
    assert caught.value.url == server.url + POSTS_PATH
