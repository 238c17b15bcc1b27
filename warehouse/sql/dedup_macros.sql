-- How alerts are matched across sources (warehouse/dedup.py): a link key (http(s) only;
-- scheme and host lower-cased, trailing slash, utm_* parameters and fragment dropped) and a
-- text key (lower case, punctuation, symbols and spacing collapsed to one space).
CREATE OR REPLACE TEMP MACRO url_key(u) AS (
    CASE WHEN regexp_matches(trim(u), '^[hH][tT][tT][pP][sS]?://[^/?#]+') THEN
        lower(regexp_extract(trim(u), '^([^:]+://[^/?#]+)', 1))
        || rtrim(regexp_extract(trim(u), '^[^:]+://[^/?#]+([^?#]*)', 1), '/')
        || coalesce('?' || nullif(array_to_string(list_filter(
               string_split(regexp_extract(trim(u), '\?([^#]*)', 1), '&'),
               lambda p: p <> '' AND NOT starts_with(lower(p), 'utm_')), '&'), ''), '')
    END
);

CREATE OR REPLACE TEMP MACRO text_key(t) AS (
    trim(regexp_replace(lower(t), '[\pP\pS\s]+', ' ', 'g'))
);
