-- Terms, rare-term weights and scored candidate pairs of one slab (after link_cases.sql and
-- case_skeletons(word, skeleton) from build_cases). Two kinds of terms: 0 = a lower-cased
-- word or a pair of adjacent capitalised words (rare within its language), 1 = a name
-- skeleton or a pair of adjacent ones (script-neutral, rare over all languages: "Иванов" meets
-- "Ivanov").
CREATE OR REPLACE TEMP TABLE case_terms AS
WITH named AS (
    SELECT w.idx, w.block, w.language, w.bucket, w.pos, s.skeleton
    FROM case_words AS w JOIN case_skeletons AS s USING (word)
)
SELECT DISTINCT idx, block, language, bucket, 0 AS kind, hash(lower(word)) AS term
FROM case_words
UNION ALL
SELECT DISTINCT a.idx, a.block, a.language, a.bucket, 0 AS kind,
    hash(lower(a.word || ' ' || b.word)) AS term
FROM case_words AS a JOIN case_words AS b ON a.idx = b.idx AND b.pos = a.pos + 1
WHERE regexp_matches(a.word, '^\p{Lu}') AND regexp_matches(b.word, '^\p{Lu}')
UNION ALL
SELECT DISTINCT idx, block, language, bucket, 1 AS kind, hash(skeleton) AS term FROM named
UNION ALL
SELECT DISTINCT a.idx, a.block, a.language, a.bucket, 1 AS kind,
    hash(a.skeleton || ' ' || b.skeleton) AS term
FROM named AS a JOIN named AS b ON a.idx = b.idx AND b.pos = a.pos + 1;

-- Rare terms: words in at most $max_df alerts (or $max_df_share of the alerts) of their
-- language in the slab, names likewise over all languages. Weight: the smaller IDF in that
-- scope and in the country (a city or a common first name is not rare in its country), in
-- millionths as an integer: sums of integers don't depend on the order parallel threads add
-- them in, so a rebuild gives the same links.
CREATE OR REPLACE TEMP TABLE case_rare AS
WITH scoped AS (
    SELECT *, CASE WHEN kind = 0 THEN language ELSE '*' END AS scope FROM case_terms
), scope_df AS (
    SELECT scope, kind, term, count(*) AS df FROM scoped GROUP BY ALL
), scope_sizes AS (
    SELECT language AS scope, count(DISTINCT idx) AS n FROM case_words GROUP BY ALL
    UNION ALL
    SELECT '*', count(DISTINCT idx) FROM case_words
), block_df AS (
    SELECT block, kind, term, count(*) AS df FROM case_terms GROUP BY ALL
), block_sizes AS (
    SELECT block, count(DISTINCT idx) AS n FROM case_words GROUP BY ALL
)
SELECT t.idx, t.block, t.bucket, t.kind, t.term,
    (least(ln((ss.n + 1) / d.df), ln((bs.n + 1) / b.df)) * 1000000)::BIGINT AS weight
FROM scoped AS t
JOIN scope_df AS d USING (scope, kind, term)
JOIN scope_sizes AS ss USING (scope)
JOIN block_df AS b USING (block, kind, term)
JOIN block_sizes AS bs USING (block)
WHERE d.df <= greatest($max_df, $max_df_share * ss.n);

-- Each alert's total rare-term weight per kind (terms seen once count: they make texts differ).
CREATE OR REPLACE TEMP TABLE case_norms AS
SELECT idx,
    coalesce(sum(weight) FILTER (WHERE kind = 0), 0) AS word_norm,
    coalesce(sum(weight) FILTER (WHERE kind = 1), 0) AS name_norm
FROM case_rare GROUP BY idx;

-- Pairs sharing rare terms, a in $bucket, b not earlier and within the window.
CREATE OR REPLACE TEMP TABLE case_pairs AS
WITH shared AS (
    SELECT a.idx AS a, b.idx AS b,
        coalesce(sum(a.weight) FILTER (WHERE a.kind = 0), 0) AS shared_words,
        count(*) FILTER (WHERE a.kind = 0) AS n_words,
        coalesce(sum(a.weight) FILTER (WHERE a.kind = 1), 0) AS shared_names,
        count(*) FILTER (WHERE a.kind = 1) AS n_names
    FROM case_rare AS a
    JOIN case_rare AS b ON a.block = b.block AND a.kind = b.kind AND a.term = b.term
    WHERE a.bucket = $bucket AND a.idx < b.idx
    GROUP BY a.idx, b.idx
)
SELECT s.a, s.b, s.n_words, s.n_names,
    s.shared_words / 1e6 AS shared_words,
    s.shared_names / 1e6 AS shared_names,
    s.shared_words / greatest(na.word_norm, nb.word_norm, 1) AS word_score,
    s.shared_names / greatest(na.name_norm, nb.name_norm, 1) AS name_score,
    db.day - da.day AS gap_days,
    len(list_intersect(da.categories, db.categories)) > 0 AS same_category,
    len(da.victim_types) = 0 OR len(db.victim_types) = 0
        OR len(list_intersect(da.victim_types, db.victim_types)) > 0 AS victims_compatible
FROM shared AS s
JOIN case_norms AS na ON na.idx = s.a
JOIN case_norms AS nb ON nb.idx = s.b
JOIN case_docs AS da ON da.idx = s.a
JOIN case_docs AS db ON db.idx = s.b
WHERE db.day - da.day <= $window_days;
