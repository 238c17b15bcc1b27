"""Generates ``nlp/MODEL_CARD.md``, ``nlp/evaluation.json`` and ``nlp/reliability.svg``.

Every figure is computed, never typed: the cross-validated corpus figures come from the
last ``ifex-alerts train`` (``nlp/data/label_model_cv.json``), the dev figures from an
evaluation run here on the gold file named (with its SHA-256 and record count), the speed
from a measurement here.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from nlp.benchmark import measure_speed
from nlp.evaluate import Report, evaluate, load_gold
from nlp.extractor import NLP_VERSION
from nlp.gazetteer import extra
from nlp.learned.report import read_cv_report

CARD_PATH = Path(__file__).parent / "MODEL_CARD.md"
EVALUATION_PATH = Path(__file__).parent / "evaluation.json"
"""The same evaluation, machine-readable (releases embed it in schema.json)."""
RELIABILITY_PATH = Path(__file__).parent / "reliability.svg"
SPEED_REPEAT = 10
LANGUAGES = ("all", "en", "fr", "es", "ar", "ru")
CARD_FIELDS = ("categories", "victim_types")

LIMITS = """\
- Trained on about 1,600 real alerts retold in their own language (see
  `nlp/corpus/README.md`); rare labels (`surveillance`, `restrictive_law`, `lawyer`,
  `politician`, `academic`) have 20–60 examples each and the weakest figures. The
  cross-validated figures measure the corpus's own wording (retellings); the held-back
  sets, in the pages' own wording, are the fair measure and are kept by the maintainers.
- The trained layer decides from the rules' candidates (trigger mentions, counted or
  dropped, with their context words and nearby years) and the words of the alert. It has
  no parser: who did what to whom is read from nearby words, so a background case told in
  the same sentence as the alert's own event, or a victim named far from the event, can
  still be misread. A label the model adds without a trigger gets the words that weigh most
  for it as evidence, not a full phrase.
- Countries come from names, demonyms, capitals and cities of 150,000+ (1,000,000+ for the
  biggest lists), ISO 3166-2 regions with unique, uncommon names, a hand list of conflict
  regions and state bodies (Roskomnadzor, the Knesset...). Russian places are matched on
  pymorphy3 lemmas (case forms, city and region adjectives), Arabic ones without clitics
  (و ب ل ال...). A place that is also a common word needs context: a capital inside a
  sentence in Russian («того» is not Togo), a place word before it in Arabic ("في مالي"); a
  place that reads as part of a person's name ("Dominique Kabongo", «Софья») does not count.
  A country named only through a person or an event the gazetteer does not know (a small
  town, a minister's name) is missed: about one record in ten of the corpus has a primary
  country that no place word of its text names.
- People (`persons`) are capitalised runs in Latin and Cyrillic script and, in Arabic, the
  words after a role word or a common given name; roles come from the word before the name
  or an apposition. Organisation names in capitals can pass for people.
- `label_confidence` is each label's probability calibrated on held-out folds (Platt
  scaling); `confidence` summarises them with the country margin."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gold_provenance(gold: Path, records: int) -> dict:
    """Which labelled file the dev figures come from, and which version of it (the SHA-256
    is null for a file that is not there to hash)."""
    digest = _sha256(gold) if gold.exists() else None
    return {"path": gold.name if not gold.is_absolute() else str(gold), "name": gold.name,
            "sha256": digest, "records": records}


def evaluation_summary(report: Report, speed: dict, gold: Path, stamp: str,
                       cv: dict | None = None) -> dict:
    """What evaluation.json holds: the NLP version, the gold file (name, SHA-256, record
    count) and its per-field and per-language figures, the corpus and its cross-validated
    figures, and speed (no record texts)."""
    fields = {name: {key: scores[key] for key in ("micro", "macro", "labels")}
              for name, scores in report.fields.items()}
    summary = {"nlp_version": NLP_VERSION, "generated": stamp,
               "generated_by": "ifex-alerts model-card",
               "gold": gold_provenance(gold, report.records), "records": report.records,
               "primary_country_accuracy": report.primary_country_accuracy,
               "fields": fields, "languages": report.languages,
               "speed": {"repeat": SPEED_REPEAT, **speed}}
    if cv:
        summary["corpus"] = cv["corpus"]
        summary["cross_validated"] = cv["model"]
        summary["cross_validated_rules_only"] = {
            lang: {f: row[f]["micro"] for f in CARD_FIELDS}
            for lang, row in cv["rules_only"].items()}
    return summary


def _cv_table(cv: dict, key: str = "model") -> str:
    lines = ["| language | records | categories P / R / F1 | victim types P / R / F1 | "
             "primary country |", "|---|---|---|---|---|"]
    for lang in LANGUAGES:
        row = cv[key].get(lang)
        if row is None:
            continue
        cells = [f"{row[f]['micro']['precision']:.3f} / {row[f]['micro']['recall']:.3f} / "
                 f"**{row[f]['micro']['f1']:.3f}**" for f in CARD_FIELDS]
        lines.append(f"| {lang} | {row['records']} | {cells[0]} | {cells[1]} | "
                     f"{row['primary_country_accuracy']:.3f} |")
    return "\n".join(lines)


def _cv_labels(cv: dict, field_name: str) -> str:
    langs = [lang for lang in LANGUAGES if lang in cv["model"]]
    lines = [f"| {field_name} | P | R | " + " | ".join(f"F1 {lang}" for lang in langs)
             + " | support |", "|---" * (len(langs) + 4) + "|"]
    labels = cv["model"]["all"][field_name]["labels"]
    for label, row in labels.items():
        f1s = []
        for lang in langs:
            cell = cv["model"][lang][field_name]["labels"].get(label)
            f1s.append(f"{cell['f1']:.2f} ({cell['support']})" if cell and cell["support"]
                       else "–")
        lines.append(f"| {label} | {row['precision']:.2f} | {row['recall']:.2f} | "
                     + " | ".join(f1s) + f" | {row['support']} |")
    return "\n".join(lines)


def _dev_table(report: Report) -> str:
    lines = ["| language | records | countries F1 | categories P / R / F1 | "
             "victim types P / R / F1 | primary country |", "|---|---|---|---|---|---|"]
    rows = {"all": {"records": report.records,
                    **{f: report.fields[f]["micro"] for f in report.fields},
                    "primary_country_accuracy": report.primary_country_accuracy},
            **report.languages}
    for lang in LANGUAGES:
        row = rows.get(lang)
        if row is None:
            continue
        cells = [f"{row[f]['precision']:.3f} / {row[f]['recall']:.3f} / **{row[f]['f1']:.3f}**"
                 for f in CARD_FIELDS]
        lines.append(f"| {lang} | {row['records']} | {row['countries']['f1']:.3f} | "
                     f"{cells[0]} | {cells[1]} | {row['primary_country_accuracy']:.3f} |")
    return "\n".join(lines)


def _label_table(report: Report, name: str) -> str:
    lines = [f"| {name} | P | R | F1 | support |", "|---|---|---|---|---|"]
    for label, row in report.fields[name]["labels"].items():
        lines.append(f"| {label} | {row['precision']:.2f} | {row['recall']:.2f} | "
                     f"{row['f1']:.2f} | {row['support']} |")
    return "\n".join(lines)


def _reliability_table(bins: list[dict]) -> str:
    lines = ["| calibrated probability | labels | mean predicted | observed |",
             "|---|---|---|---|"]
    lines += [f"| {b['low']:.1f}–{b['high']:.1f} | {b['count']} | {b['mean_predicted']:.3f} | "
              f"{b['observed']:.3f} |" for b in bins]
    return "\n".join(lines)


def reliability_svg(bins: list[dict], size: int = 320) -> str:
    """A reliability diagram: observed frequency against calibrated probability per bin
    (dot area by count), with the diagonal of perfect calibration."""
    pad, inner = 40, size - 60
    x = lambda v: pad + v * inner  # noqa: E731
    y = lambda v: size - pad - v * inner  # noqa: E731
    biggest = max((b["count"] for b in bins), default=1)
    dots = "".join(
        f'<circle cx="{x(b["mean_predicted"]):.1f}" cy="{y(b["observed"]):.1f}" '
        f'r="{3 + 9 * (b["count"] / biggest) ** 0.5:.1f}" fill="#1f5f8b" fill-opacity="0.7">'
        f'<title>{b["low"]:.1f}–{b["high"]:.1f}: {b["count"]} labels, observed '
        f'{b["observed"]:.2f}</title></circle>' for b in bins)
    ticks = "".join(
        f'<text x="{x(v):.0f}" y="{size - pad + 16}" font-size="11" text-anchor="middle">{v:.1f}'
        f'</text><text x="{pad - 6}" y="{y(v) + 4:.0f}" font-size="11" text-anchor="end">'
        f'{v:.1f}</text>' for v in (0.0, 0.5, 1.0))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {size} {size}" font-family="sans-serif">'
            f'<rect x="{pad}" y="{size - pad - inner}" width="{inner}" height="{inner}" '
            f'fill="none" stroke="#999"/>'
            f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#999" '
            f'stroke-dasharray="4 3"/>{dots}{ticks}'
            f'<text x="{size / 2}" y="{size - 6}" font-size="12" text-anchor="middle">'
            f'calibrated probability (held out)</text>'
            f'<text x="12" y="{size / 2}" font-size="12" text-anchor="middle" '
            f'transform="rotate(-90 12 {size / 2})">how often the label holds</text>'
            f'<text x="{size / 2}" y="16" font-size="13" text-anchor="middle">'
            f'Reliability of label_confidence</text></svg>\n')


def _speed_lines(speed: dict) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in speed.items())


def _former_names() -> str:
    rows = [f"| {name} | {code} |" for name, code in extra()["former_names"]["en"].items()]
    return "\n".join(["| former name (en) | mapped to |", "|---|---|", *rows])


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def _corpus_section(cv: dict | None) -> str:
    if not cv:
        return "No trained model: run `ifex-alerts train` (the rules alone label alerts).\n"
    corpus = cv["corpus"]
    files = ", ".join(f"`{f}`" for f in corpus["files"])
    return f"""{corpus['records']} labelled real alerts ({files}; SHA-256
`{corpus['sha256']}`), labelled by `shared/eval/GUIDE.md`, read twice and adjudicated
(`nlp/corpus/README.md`). {cv['settings']['folds']} folds, {cv['folds']}; settings
{json.dumps(cv['settings'])}. Each record below is labelled by the model of the folds it was
held out of.

### Trained model (rules as candidates, decided by the model)
{_cv_table(cv)}

### The rules alone, on the same records
{_cv_table(cv, "rules_only")}

### Per label (F1 per language, support in brackets)
{_cv_labels(cv, "categories")}

{_cv_labels(cv, "victim_types")}

### Reliability of `label_confidence` (held out)
![reliability](reliability.svg)

{_reliability_table(cv['reliability'])}
"""


def render(report: Report, speed: dict, gold: Path, stamp: str | None = None,
           cv: dict | None = None) -> str:
    """The model card as Markdown."""
    stamp = stamp or _today()
    provenance = gold_provenance(gold, report.records)
    return f"""# Model card: ifex-alerts extractor {NLP_VERSION}

Generated by `ifex-alerts model-card` on {stamp} from the last `ifex-alerts train`. Do not
edit by hand.

## What it does
Labels an alert (title + body) with `countries` / `primary_country` (ISO 3166-1 alpha-2,
XK = Kosovo, PS = Palestine), `categories` (14 codes), `victim_types` (12 codes), the
people it names (`persons`, with their stated role and a key shared across scripts), the
evidence spans for each label, each label's calibrated probability (`label_confidence`)
and the language (py3langid when not given). One `spacy.blank(lang)` pipeline per
language (en, fr, es, ar, ru) with two PhraseMatcher components. The rules
(`nlp/labels.py`, `nlp/senses.py`, `nlp/outcomes.py`, `nlp/victims.py`, `nlp/roles.py`,
term lists in `nlp/data/`) generate candidates with evidence; a logistic regression per
label (`nlp/learned/`), trained on a corpus of real alerts, decides which candidates are
the alert's own events and victims from their context (title/lead position, the words
around each mention, years nearby, whether the rules counted or dropped it) and the
alert's words, and can add what the term lists miss. `ifex-alerts train` rebuilds it
deterministically; the artefact (`nlp/data/label_model.json.gz`) loads offline.

## Cross-validated on the labelled corpus
{_corpus_section(cv)}
## Dev set: `{gold.name}` ({report.records} alerts, SHA-256 `{provenance['sha256']}`)
Never trained on. Part of it was read while the rules were written, so its figures are
optimistic; the held-back sets are the fair measure.

{_dev_table(report)}

{_label_table(report, "categories")}

{_label_table(report, "victim_types")}

## Speed (one process, dev texts x{SPEED_REPEAT}, English, best of 3 runs)
{_speed_lines(speed)}

`nlp.pipe` with n_process=2 is slower than one process for these light pipelines:
parallelise across partitions instead.

## What it can't do
{LIMITS}

## Former names
Old alerts use names of states that no longer exist; they are mapped to today's code:

{_former_names()}
"""


def write_model_card(gold: Path, path: Path = CARD_PATH,
                     evaluation_path: Path = EVALUATION_PATH) -> Path:
    """Evaluate on ``gold``, measure speed on its texts, write the card, evaluation.json and
    the reliability diagram."""
    records = load_gold(gold)
    report = evaluate(records)
    texts = [f"{r['title']}\n{r['text']}" for r in records if r.get("language") == "en"]
    speed = measure_speed(texts * SPEED_REPEAT)
    stamp = _today()
    cv = read_cv_report()
    if cv:
        RELIABILITY_PATH.write_text(reliability_svg(cv["reliability"]), encoding="utf-8")
    path.write_text(render(report, speed, gold, stamp, cv), encoding="utf-8")
    summary = evaluation_summary(report, speed, gold, stamp, cv)
    evaluation_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path
