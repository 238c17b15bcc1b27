"""Enrich many months in parallel processes, each loading the extractor once.

spaCy's own ``n_process`` is slower than one process for light pipelines, so
parallelism is across partitions instead.
"""

from __future__ import annotations

import atexit
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipelines.ingest import MonthStats, enrich_month
from pipelines.sources.registry import build_source
from warehouse.lake import LakeDir
from warehouse.storage import Location


def _url(lake_dir: LakeDir) -> str:
    return lake_dir.url if isinstance(lake_dir, Location) else str(lake_dir)


def lake_url(url: str) -> Path | Location:
    """A worker's lake from its URL: a local Path (as before) or an object-store Location."""
    location = Location(url)
    return Path(url) if location.is_local else location

_worker_state: dict = {}
_pools: dict[tuple, ProcessPoolExecutor] = {}


def _pool(source_config: dict, workers: int, batch_size: int) -> ProcessPoolExecutor:
    """A pool kept for the life of this process, so that consecutive runs (the chunks of a
    CLI backfill) don't pay the workers' start and pipeline loading again."""
    key = (repr(sorted(source_config.items())), workers, batch_size)
    if key not in _pools:
        for stale in _pools.values():
            stale.shutdown(cancel_futures=True)
        _pools.clear()
        context = multiprocessing.get_context("spawn")
        _pools[key] = ProcessPoolExecutor(workers, mp_context=context,
                                          initializer=_init_worker,
                                          initargs=(source_config, batch_size))
    return _pools[key]


@atexit.register
def _shutdown_pools() -> None:
    for pool in _pools.values():
        pool.shutdown(cancel_futures=True)
    _pools.clear()


def _init_worker(source_config: dict, batch_size: int) -> None:
    from nlp.extractor import Extractor

    _worker_state["source"] = build_source(**source_config)
    _worker_state["extractor"] = Extractor(batch_size=batch_size)


def _enrich_in_worker(lake_dir: str, month: str, force: bool) -> MonthStats:
    return enrich_month(_worker_state["source"], _worker_state["extractor"], lake_url(lake_dir),
                        month, force)


def enrich_months(
    months: list[str],
    source_config: dict,
    lake_dir: LakeDir,
    workers: int,
    batch_size: int,
    run_local: Callable[[str], MonthStats],
    force: bool = False,
) -> Iterator[tuple[str, MonthStats | BaseException]]:
    """Enrich months, yielding (month, stats or the error) as each finishes."""
    if workers <= 1 or len(months) < 4:
        for month in months:
            try:
                yield month, run_local(month)
            except Exception as error:
                yield month, error
        return
    pool = _pool(source_config, workers, batch_size)
    futures = {month: pool.submit(_enrich_in_worker, _url(lake_dir), month, force)
               for month in months}
    for month, future in futures.items():
        error = future.exception()
        yield month, error if error is not None else future.result()
