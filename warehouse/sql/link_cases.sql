-- Tokens of one time bucket ($bucket, $bucket_days long), read once and kept for two slabs:
-- slab k is made of buckets k - 1 and k (see warehouse/CASES.md). The date filter on alerts
-- lets DuckDB skip the row groups of other buckets (alerts are stored in date order). Needs
-- case_docs and the tables case_name_candidates, case_vocab and case_places (created empty
-- by build_cases).

DELETE FROM case_name_candidates WHERE bucket < $bucket - 1;
DELETE FROM case_vocab WHERE bucket < $bucket - 1;
DELETE FROM case_places WHERE bucket < $bucket - 1;

-- The bucket's alerts: title, lead and the NLP's evidence (read once per bucket).
CREATE OR REPLACE TEMP TABLE case_texts AS
SELECT d.idx, d.language, coalesce(a.title, '') AS title,
    left(coalesce(a.text, ''), $max_chars) AS lead, a.evidence
FROM case_docs AS d
JOIN alerts AS a USING (alert_id)
WHERE d.day >= $bucket * $bucket_days AND d.day < ($bucket + 1) * $bucket_days
    AND a.published >= DATE '1970-01-01' + to_days($bucket * $bucket_days)
    AND a.published < DATE '1970-01-01' + to_days(($bucket + 1) * $bucket_days);

-- Title and lead (one text, " | " between them) split into words in order; "joined" = only
-- a space, hyphen or apostrophe since the previous word, so a name run never crosses
-- punctuation ("in Sfax. Les autorités", "Huseynov (radio").
CREATE OR REPLACE TEMP TABLE case_tokens AS
SELECT idx, language, pos, word, gap IN (' ', '-', '''', '’') AS joined
FROM (
    SELECT idx, language,
        unnest(range(len(words)))::INTEGER AS pos,
        unnest(words) AS word,
        unnest(gaps[1:len(words)]) AS gap
    FROM (
        SELECT idx, language,
            regexp_extract_all(title || ' | ' || lead, '[\p{L}\p{M}\p{N}]+') AS words,
            regexp_split_to_array(title || ' | ' || lead, '[\p{L}\p{M}\p{N}]+') AS gaps
        FROM case_texts
    )
);

-- Per language: how often a word is written lower-case and how often capitalised. A
-- capitalised word that is also common in lower case ("Police", "Journalist", "Les") is
-- vocabulary, not a name.
INSERT INTO case_vocab
SELECT $bucket, language, lower(word) AS lowered,
    count(*) FILTER (WHERE word = lower(word)),
    count(*) FILTER (WHERE word <> lower(word))
FROM case_tokens
GROUP BY ALL;

-- Words that may be names: capitalised (not all capitals) in a cased script, or any word of
-- a caseless script (Arabic); score_cases.sql decides.
INSERT INTO case_name_candidates
SELECT $bucket, idx, language, pos, word, joined
FROM case_tokens
WHERE length(word) >= 2
    AND ((regexp_matches(word, '^\p{Lu}') AND word <> upper(word))
        OR regexp_matches(word, '^\p{Arabic}'));

DROP TABLE case_tokens;

-- Place names the NLP found (country evidence): their words are not people's names, and
-- the cities among them (case_city_names, from the gazetteer) tell two incidents apart.
INSERT INTO case_places
SELECT DISTINCT $bucket, idx, lower(e.text) AS place
FROM (SELECT idx, unnest(try(from_json(evidence, '[{"field": "VARCHAR", "text": "VARCHAR"}]')))
          AS e
      FROM case_texts)
WHERE e.field = 'countries' AND e.text IS NOT NULL;

DROP TABLE case_texts;

-- The slab's name words: cased words rarely written lower-case in their language
-- ($lower_share), and caseless words; build_cases adds the new ones to case_word_keys.
CREATE OR REPLACE TEMP TABLE case_name_words AS
WITH vocab AS (
    SELECT language, lowered, sum(n_lower) AS n_lower, sum(n_upper) AS n_upper
    FROM case_vocab GROUP BY ALL
)
SELECT DISTINCT c.word, regexp_matches(c.word, '^\p{Lu}') AS cased
FROM case_name_candidates AS c
LEFT JOIN vocab AS v ON v.language = c.language AND v.lowered = lower(c.word)
WHERE NOT regexp_matches(c.word, '^\p{Lu}') OR v.n_lower < $lower_share * v.n_upper;
