"""The sample archive generator: deterministic, independent months, realistic mix, defects."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from models.records import ParseError, QuarantineReason
from pipelines.sources.sample import SampleSource, generate_archive, month_records
from pipelines.sources.sample_data.plans import month_plans


def _payloads(source: SampleSource, month: date) -> list[tuple[str, bytes]]:
    return [(r.source_id, r.payload) for r in source.fetch_month(month)]


def test_same_arguments_give_identical_records() -> None:
    first = list(SampleSource(scale=0.2, seed=7).fetch_month(date(2003, 5, 1)))
    second = list(SampleSource(scale=0.2, seed=7).fetch_month(date(2003, 5, 1)))
    assert first == second and first
    assert first[0].fetched_at.tzinfo is not None
    assert {r.partition_month for r in first} == {"2003-05"}
    assert len({r.source_id for r in first}) == len(first)
    assert _payloads(SampleSource(scale=0.2, seed=8), date(2003, 5, 1)) != \
        [(r.source_id, r.payload) for r in first]


def test_month_does_not_depend_on_other_months_generated() -> None:
    alone = _payloads(SampleSource(scale=0.3), date(2012, 3, 1))
    in_range = [(r.source_id, r.payload)
                for r in generate_archive(date(2011, 10, 1), date(2012, 4, 1), scale=0.3)
                if r.partition_month == "2012-03"]
    assert alone == in_range


def test_about_two_thousand_alerts_a_year_at_scale_one() -> None:
    total = sum(len(month_plans(1995, 1.0, 2015, month)) for month in range(1, 13))
    assert 1600 <= total <= 2500


def test_languages_mix_is_mostly_english_with_the_other_four() -> None:
    counts = Counter(plan.language for month in range(1, 13)
                     for plan in month_plans(1995, 1.0, 2010, month))
    total = sum(counts.values())
    assert counts["en"] / total > 0.6
    for language in ("fr", "es", "ar", "ru"):
        assert counts[language] / total > 0.005, language


def test_normal_records_parse_to_sane_alerts() -> None:
    source = SampleSource(scale=0.3)
    parsed = []
    for record in source.fetch_month(date(2016, 9, 1)):
        if b'"defect"' not in record.payload:
            parsed.append(source.parse(record))
    assert len(parsed) > 30
    for alert in parsed:
        assert alert.published.strftime("%Y-%m") == "2016-09"
        assert alert.title and len(alert.text.split()) > 10
        assert "<p>" not in alert.text and alert.incident_ref.startswith("inc-")
        assert alert.language in {"en", "fr", "es", "ar", "ru"} and alert.organisation


def test_defects_parse_to_the_right_outcome() -> None:
    source = SampleSource(scale=1.0)
    expected = {"empty_body": QuarantineReason.EMPTY_TEXT, "bad_date": QuarantineReason.BAD_DATE,
                "malformed_json": QuarantineReason.MALFORMED,
                "undecodable": QuarantineReason.UNDECODABLE}
    seen: Counter = Counter()
    hashes: Counter = Counter()
    for record in generate_archive(date(2008, 1, 1), date(2008, 6, 1)):
        hashes[record.content_hash] += 1
        text = record.payload.decode("utf-8", errors="replace")
        defect = next((name for name in (*expected, "broken_html", "mojibake")
                       if f'"defect": "{name}"' in text), None)
        if defect in expected or (defect is None and "\ufffd" in text):
            with pytest.raises(ParseError) as error:
                source.parse(record)
            seen[error.value.reason] += 1
        elif defect in ("broken_html", "mojibake"):
            alert = source.parse(record)
            assert "<" not in alert.text and "Ã" not in alert.text + alert.title
            seen[defect] += 1
    assert set(seen) >= set(expected.values()) | {"broken_html", "mojibake"}
    assert max(hashes.values()) == 2


def test_follow_ups_share_incident_id_with_an_earlier_month() -> None:
    earlier = {plan.incident.incident_id: plan.incident.victim_types
               for month in range(1, 7) for plan in month_plans(1995, 1.0, 2001, month)}
    follow_ups = [plan for plan in month_plans(1995, 1.0, 2001, 7) if plan.stage != "initial"]
    assert follow_ups
    assert all(plan.incident.incident_id in earlier for plan in follow_ups)
    records = {json.loads(r.payload)["incident_id"] for r, plan in month_records(2001, 7)
               if plan.stage != "initial" and b'"defect"' not in r.payload}
    assert records & set(earlier)


def _shutdown_share(year: int) -> float:
    plans = [plan for month in range(1, 13) for plan in month_plans(1995, 1.0, year, month)]
    return sum("internet_shutdown" in plan.categories for plan in plans) / len(plans)


def test_internet_shutdowns_rise_after_2011() -> None:
    assert _shutdown_share(2005) == 0.0
    assert _shutdown_share(2020) > 0.03


def test_from_config_reads_scale_and_seed() -> None:
    source = SampleSource.from_config(None, None, {"scale": "0.05", "seed": "3"})
    assert (source.scale, source.seed) == (0.05, 3)
    assert source.fingerprint(date(1997, 3, 1)) == "sample:v1:0.05:3:1997-03"
