-- Candidate links between alerts that may report the same incident (see warehouse/cases.py).
-- Blocking: same primary country and a shared rare term within the window; scoring:
-- IDF weight of the shared rare terms relative to the smaller alert's rare-term weight.

-- One row per alert, numbered by (country, date, id) so a < b means "a is not later".
CREATE OR REPLACE TEMP TABLE case_docs AS
SELECT
    row_number() OVER (ORDER BY coalesce(primary_country, ''), published, alert_id)::INTEGER - 1
        AS idx,
    alert_id,
    dense_rank() OVER (ORDER BY coalesce(primary_country, ''))::INTEGER AS block,
    coalesce(language, '') AS language,
    date_diff('day', DATE '1970-01-01', published)::INTEGER AS day,
    coalesce(victim_types, []::VARCHAR[]) AS victim_types,
    coalesce(categories, []::VARCHAR[]) AS categories,
    coalesce(title, '') || ' ' || left(coalesce(text, ''), $max_chars) AS body
FROM alerts;

-- Terms of each alert's title and lead, hashed: its words, and pairs of adjacent capitalised
-- words (names of people and outlets: "Mehmet Kaya", not "of Mehmet").
CREATE OR REPLACE TEMP TABLE case_terms AS
WITH words AS (
    SELECT idx, block, language, day // $window_days AS bucket,
        list_filter(regexp_split_to_array(body, '[^\p{L}\p{N}]+'),
            lambda w: length(w) >= $min_word_length) AS words
    FROM case_docs
)
SELECT DISTINCT idx, block, language, bucket, hash(term) AS term
FROM (
    SELECT idx, block, language, bucket, lower(unnest(words)) AS term FROM words
    UNION ALL
    SELECT idx, block, language, bucket, lower(unnest(list_filter(
        list_transform(range(1, len(words)), lambda i: CASE
            WHEN regexp_matches(words[i], '^\p{Lu}') AND regexp_matches(words[i + 1], '^\p{Lu}')
            THEN words[i] || ' ' || words[i + 1] END),
        lambda t: t IS NOT NULL)))
    FROM words
);

-- Rare terms: in at most $max_df alerts (or $max_df_share of the alerts) of the language and
-- window-long time bucket over all countries (a common phrasing is common everywhere, names
-- are not). Weight: the smaller IDF of the term in the language and in the country (a city or
-- a common first name is not rare in its country).
CREATE OR REPLACE TEMP TABLE case_rare AS
WITH language_df AS (
    SELECT language, bucket, term, count(*) AS df FROM case_terms GROUP BY ALL
), block_df AS (
    SELECT block, bucket, term, count(*) AS df FROM case_terms GROUP BY ALL
), language_sizes AS (
    SELECT language, day // $window_days AS bucket, count(*) AS n FROM case_docs GROUP BY ALL
), block_sizes AS (
    SELECT block, day // $window_days AS bucket, count(*) AS n FROM case_docs GROUP BY ALL
)
SELECT t.idx, t.block, t.bucket, t.term,
    least(ln((ls.n + 1) / l.df), ln((bs.n + 1) / b.df)) AS weight
FROM case_terms AS t
JOIN language_df AS l USING (language, bucket, term)
JOIN language_sizes AS ls USING (language, bucket)
JOIN block_df AS b USING (block, bucket, term)
JOIN block_sizes AS bs USING (block, bucket)
WHERE l.df <= greatest($max_df, $max_df_share * ls.n);

-- Each alert's total rare-term weight (terms seen once count: they make texts differ).
CREATE OR REPLACE TEMP TABLE case_norms AS
SELECT idx, sum(weight) AS norm FROM case_rare GROUP BY idx;

-- Pairs sharing terms within the window; the bucket join keeps the blocking linear in time.
CREATE OR REPLACE TEMP TABLE case_pairs AS
WITH later AS (
    SELECT idx, block, term, bucket AS bucket FROM case_rare
    UNION ALL
    SELECT idx, block, term, bucket - 1 AS bucket FROM case_rare
), shared AS (
    SELECT a.idx AS a, b.idx AS b, sum(a.weight) AS shared, count(*) AS n_shared
    FROM case_rare AS a
    JOIN later AS b ON a.block = b.block AND a.term = b.term AND a.bucket = b.bucket
    WHERE a.idx < b.idx
    GROUP BY a.idx, b.idx
)
SELECT s.a, s.b, s.shared, s.n_shared,
    s.shared / greatest(na.norm, nb.norm) AS score,
    db.day - da.day AS gap_days,
    len(list_intersect(da.categories, db.categories)) > 0 AS same_category,
    len(da.victim_types) = 0 OR len(db.victim_types) = 0
        OR len(list_intersect(da.victim_types, db.victim_types)) > 0 AS victims_compatible
FROM shared AS s
JOIN case_norms AS na ON na.idx = s.a
JOIN case_norms AS nb ON nb.idx = s.b
JOIN case_docs AS da ON da.idx = s.a
JOIN case_docs AS db ON db.idx = s.b
WHERE s.n_shared >= $min_shared AND db.day - da.day <= $window_days;
