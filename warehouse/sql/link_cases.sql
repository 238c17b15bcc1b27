-- Candidate links of one slab: alerts of the window-long time buckets $bucket and $bucket + 1,
-- pairs (a, b) with a in $bucket, b not earlier, same primary country, within $window_days
-- (see warehouse/cases.py). Needs case_docs (build_cases) and case_skeletons(word, skeleton).

-- The slab's alerts and their words (position kept for adjacent-name pairs).
CREATE OR REPLACE TEMP TABLE case_words AS
WITH slab AS (
    SELECT d.idx, d.block, d.language, d.day // $window_days AS bucket,
        list_filter(regexp_split_to_array(
            coalesce(a.title, '') || ' ' || left(coalesce(a.text, ''), $max_chars),
            '[^\p{L}\p{N}]+'), lambda w: length(w) >= $min_word_length) AS words
    FROM case_docs AS d
    JOIN alerts AS a USING (alert_id)
    WHERE d.day >= $bucket * $window_days AND d.day < ($bucket + 2) * $window_days
)
SELECT idx, block, language, bucket, unnest(words) AS word,
    unnest(range(len(words)))::INTEGER AS pos
FROM slab;

-- Name-like words (capitalised, or in a caseless script) whose skeletons build_cases computes.
CREATE OR REPLACE TEMP TABLE case_name_words AS
SELECT DISTINCT word FROM case_words
WHERE regexp_matches(word, '^[\p{Lu}\p{Arabic}]');
