"""An honest HTTP client for source connectors.

Timeouts on every request, retries with exponential backoff on connection errors
and timeouts, 429 and every 5xx (honouring ``Retry-After``: never sooner than asked,
and giving up when asked to wait longer than ``max_retry_after``), a polite minimum
interval between requests, a User-Agent that says who we are, and no retry on other
4xx. A request
that finally fails, or answers with a body that is not the JSON it should be, raises
:class:`HttpFetchError` carrying the status and URL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

USER_AGENT = "ifex-alerts/0.1 (+https://github.com/ifex-alerts)"


def is_retryable(status: int) -> bool:
    """429 and every 5xx (including the 52x of CDNs) are worth retrying; other 4xx are not."""
    return status == 429 or 500 <= status <= 599


class HttpFetchError(RuntimeError):
    """A fetch that failed for good: ``status`` is None when no response ever arrived."""

    def __init__(self, url: str, status: int | None, detail: str) -> None:
        where = f"HTTP {status}" if status is not None else "request failed"
        super().__init__(f"{where} for {url}: {detail}")
        self.url = url
        self.status = status
        self.detail = detail


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks us to wait (delta-seconds or HTTP-date)."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """GETs with timeouts, retries, backoff and a rate limit. Thread-safe for one process."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff_base: float = 1.0,
        max_backoff: float = 60.0,
        max_retry_after: float = 300.0,
        min_interval: float = 0.5,
        user_agent: str = USER_AGENT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.min_interval = min_interval
        self._last_request = 0.0
        self._lock = threading.Lock()
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": user_agent},
            follow_redirects=True,
            transport=transport,
        )

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> HttpClient:
        """Build from source options: timeout, retries, backoff, max_backoff,
        max_retry_after, min_interval (seconds)."""
        return cls(
            timeout=float(options.get("timeout", 30.0)),
            max_retries=int(options.get("retries", 4)),
            backoff_base=float(options.get("backoff", 1.0)),
            max_backoff=float(options.get("max_backoff", 60.0)),
            max_retry_after=float(options.get("max_retry_after", 300.0)),
            min_interval=float(options.get("min_interval", 0.5)),
        )

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> httpx.Response:
        """GET ``url``; return a 2xx/3xx response or raise :class:`HttpFetchError`."""
        attempt = 0
        while True:
            self._wait_politely()
            full_url = str(httpx.URL(url, params=params)) if params else url
            try:
                response = self._client.get(url, params=params)
            except httpx.TransportError as error:
                if attempt >= self.max_retries:
                    raise HttpFetchError(full_url, None, repr(error)) from error
                self._sleep(self._backoff(attempt))
            except httpx.HTTPError as error:  # too many redirects, bad encoding: no retry
                raise HttpFetchError(full_url, None, repr(error)) from error
            else:
                if response.status_code < 400:
                    return response
                if not is_retryable(response.status_code) or attempt >= self.max_retries:
                    raise HttpFetchError(
                        str(response.url), response.status_code, _excerpt(response)
                    )
                self._sleep(self._delay_for(response, attempt))
            attempt += 1

    def _delay_for(self, response: httpx.Response, attempt: int) -> float:
        """The Retry-After the server asked for (too long → give up), else our backoff."""
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is None:
            return self._backoff(attempt)
        if asked > self.max_retry_after:
            raise HttpFetchError(str(response.url), response.status_code,
                                 f"asked to retry after {asked:.0f} s, more than "
                                 f"max_retry_after={self.max_retry_after:.0f} s")
        return asked

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_base * (2**attempt), self.max_backoff)

    def _wait_politely(self) -> None:
        with self._lock:
            pause = self._last_request + self.min_interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last_request = time.monotonic()

    @staticmethod
    def _sleep(seconds: float) -> None:
        time.sleep(seconds)


def response_json(response: httpx.Response) -> Any:
    """The JSON body of a response; a body that is not JSON (a proxy's HTML page, a cut-off
    answer) is an :class:`HttpFetchError` with the status and URL."""
    try:
        return response.json()
    except ValueError as error:
        raise HttpFetchError(str(response.url), response.status_code,
                             f"the body is not JSON ({error}): {_excerpt(response)}") from error


def _excerpt(response: httpx.Response, limit: int = 200) -> str:
    """The start of an error body, for the error message."""
    text = response.text.strip().replace("\n", " ")
    return (text[:limit] + "…") if len(text) > limit else (text or response.reason_phrase)
