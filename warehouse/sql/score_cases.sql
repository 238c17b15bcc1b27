-- Names, cities and candidate pairs of one slab (after link_cases.sql, with
-- case_word_keys(word, key) and case_city_names(place, city) from build_cases).

-- Name words of each alert: a cased name word, or a caseless (Arabic) word that is not
-- common in its script (in at most max($min_df, $caseless_share of the slab's alerts in that
-- script)) and whose key is the key of a cased name in the slab (Mansour / منصور); minus the
-- words of the alert's place names.
CREATE OR REPLACE TEMP TABLE case_name_tokens AS
WITH keyed AS (
    SELECT c.idx, c.pos, c.joined, c.word, k.key, w.cased
    FROM case_name_candidates AS c
    JOIN case_name_words AS w USING (word)
    JOIN case_word_keys AS k USING (word)
), caseless AS (
    SELECT word, count(DISTINCT idx) AS df FROM keyed WHERE NOT cased GROUP BY word
), caseless_alerts AS (
    SELECT count(DISTINCT idx) AS n FROM keyed WHERE NOT cased
), cased_keys AS (
    SELECT DISTINCT key FROM keyed WHERE cased
), place_words AS (
    SELECT DISTINCT idx, unnest(regexp_extract_all(place, '[\p{L}\p{M}\p{N}]+')) AS lowered
    FROM case_places
)
SELECT k.idx, k.pos, k.joined, k.key
FROM keyed AS k
LEFT JOIN caseless AS c ON c.word = k.word
CROSS JOIN caseless_alerts AS n
LEFT JOIN place_words AS p ON p.idx = k.idx AND p.lowered = lower(k.word)
WHERE p.idx IS NULL
    AND (k.cased OR (c.df <= greatest($min_df, $caseless_share * n.n)
        AND k.key IN (SELECT key FROM cased_keys)));

-- Names: adjacent name words of one run, as "key key", plus the first word with the next
-- two run together ("Mohamed Abdallah" = "محمد عبد الله"). A name is kept when it is rare:
-- in at most max($min_df, $max_df_share of the alerts) of its language in the slab and of
-- the whole slab (names of organisations, titles and phrasings are in many more).
CREATE OR REPLACE TEMP TABLE case_names AS
WITH pairs AS (
    SELECT a.idx, a.key || ' ' || b.key AS name
    FROM case_name_tokens AS a
    JOIN case_name_tokens AS b ON b.idx = a.idx AND b.pos = a.pos + 1
    WHERE b.joined
    UNION
    SELECT a.idx, a.key || ' ' || CASE WHEN right(b.key, 1) = left(c.key, 1)
        THEN b.key || substr(c.key, 2) ELSE b.key || c.key END AS name
    FROM case_name_tokens AS a
    JOIN case_name_tokens AS b ON b.idx = a.idx AND b.pos = a.pos + 1
    JOIN case_name_tokens AS c ON c.idx = a.idx AND c.pos = a.pos + 2
    WHERE b.joined AND c.joined AND NOT b.key LIKE '~%' AND NOT c.key LIKE '~%'
), named AS (
    SELECT p.idx, p.name, d.block, d.language, d.day
    FROM pairs AS p JOIN case_docs AS d USING (idx)
), sizes AS (
    SELECT language, count(*) AS n FROM case_docs
    WHERE day >= ($bucket - 1) * $bucket_days AND day < ($bucket + 1) * $bucket_days
    GROUP BY language
), lang_df AS (
    SELECT language, name, count(*) AS df FROM named GROUP BY ALL
), slab_df AS (
    SELECT name, count(*) AS df FROM named GROUP BY ALL
)
SELECT n.idx, n.block, n.day, n.name
FROM named AS n
JOIN lang_df AS l USING (language, name)
JOIN slab_df AS s USING (name)
JOIN sizes AS z USING (language)
WHERE l.df <= greatest($min_df, $max_df_share * z.n)
    AND s.df <= greatest($min_df, $max_df_share * (SELECT sum(n) FROM sizes));

-- The alerts of $bucket with what the case assignment needs (in build_cases).
CREATE OR REPLACE TEMP TABLE case_bucket AS
SELECT d.idx, d.day, d.language, d.stage, d.categories,
    n.named_idx IS NOT NULL AS named,
    coalesce(c.cities, []::VARCHAR[]) AS cities
FROM case_docs AS d
LEFT JOIN (SELECT DISTINCT idx AS named_idx FROM case_names) AS n ON n.named_idx = d.idx
LEFT JOIN (SELECT p.idx AS city_idx, list(DISTINCT p.place ORDER BY p.place) AS cities
           FROM case_places AS p JOIN case_city_names AS c USING (place)
           WHERE p.bucket = $bucket AND c.city GROUP BY p.idx) AS c ON c.city_idx = d.idx
WHERE d.day >= $bucket * $bucket_days AND d.day < ($bucket + 1) * $bucket_days;

-- Candidate pairs (a earlier, b in $bucket, same country, at most $window_days apart):
-- alerts sharing a name, with "conflict" when each also names someone the other does not
-- (a name sharing no word with the shared names: another person, not the same one with a
-- title or outlet); and alerts that both name no one (shutdowns, laws, outlets), within
-- $story_days.
CREATE OR REPLACE TEMP TABLE case_pairs AS
WITH lists AS (
    SELECT idx, list(name ORDER BY name) AS names FROM case_names GROUP BY idx
), shared AS (
    SELECT a.idx AS a, b.idx AS b, count(*) AS n_shared, b.day - a.day AS gap
    FROM case_names AS a
    JOIN case_names AS b ON a.block = b.block AND a.name = b.name AND a.idx < b.idx
    WHERE b.day >= $bucket * $bucket_days AND b.day - a.day <= $window_days
    GROUP BY ALL
), tokens AS (
    SELECT s.*, la.names AS names_a, lb.names AS names_b,
        list_intersect(la.names, lb.names) AS common
    FROM shared AS s JOIN lists AS la ON la.idx = s.a JOIN lists AS lb ON lb.idx = s.b
), words AS (
    SELECT *, flatten(list_transform(common, lambda x: string_split(x, ' '))) AS common_words
    FROM tokens
)
SELECT a, b, n_shared::INTEGER AS n_shared,
    len(list_filter(names_a, lambda x: NOT list_contains(common, x)
        AND NOT list_has_any(string_split(x, ' '), common_words))) > 0
    AND len(list_filter(names_b, lambda x: NOT list_contains(common, x)
        AND NOT list_has_any(string_split(x, ' '), common_words))) > 0 AS conflict,
    gap
FROM words
UNION ALL
SELECT a.idx, b.idx, 0, false, b.day - a.day
FROM case_docs AS a
JOIN case_docs AS b ON a.block = b.block AND a.idx < b.idx
LEFT JOIN (SELECT DISTINCT idx FROM case_names) AS na ON na.idx = a.idx
LEFT JOIN (SELECT DISTINCT idx FROM case_names) AS nb ON nb.idx = b.idx
WHERE b.day >= $bucket * $bucket_days AND b.day < ($bucket + 1) * $bucket_days
    AND a.day >= ($bucket - 1) * $bucket_days AND b.day - a.day <= $story_days
    AND na.idx IS NULL AND nb.idx IS NULL;
