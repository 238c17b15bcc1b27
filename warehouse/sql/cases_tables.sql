-- The published case tables, from case_assignment(idx, case_id) and case_docs (link_cases.sql)
-- and case_stage_rules(priority, category, stage).

CREATE OR REPLACE TABLE case_alerts AS
SELECT a.case_id, d.alert_id
FROM case_assignment AS a
JOIN case_docs AS d USING (idx)
ORDER BY a.case_id, d.alert_id;

-- Each alert's stage: the rule of highest priority among its categories, else "reported".
CREATE OR REPLACE TEMP TABLE case_alert_stages AS
SELECT x.alert_id,
    coalesce(min_by(r.stage, r.priority), 'reported') AS stage,
    coalesce(min(r.priority), 1000) AS priority
FROM (
    SELECT alert_id, unnest(coalesce(categories, []::VARCHAR[])) AS category FROM alerts
    UNION ALL
    SELECT alert_id, NULL AS category FROM alerts
) AS x
LEFT JOIN case_stage_rules AS r ON r.category = x.category
GROUP BY x.alert_id;

CREATE OR REPLACE TABLE case_events AS
SELECT c.case_id, a.published, a.alert_id, a.organisation, s.stage, a.title
FROM case_alerts AS c
JOIN alerts AS a USING (alert_id)
JOIN case_alert_stages AS s USING (alert_id)
ORDER BY c.case_id, a.published, a.alert_id;

-- Status: "killed" once anyone reports a killing, else the latest stage past "reported".
CREATE OR REPLACE TABLE cases AS
SELECT c.case_id,
    first(a.primary_country ORDER BY a.published, a.alert_id) AS primary_country,
    first(a.title ORDER BY a.published, a.alert_id) AS title,
    min(a.published) AS first_date,
    max(a.published) AS last_date,
    CASE
        WHEN bool_or(s.stage = 'killed') THEN 'killed'
        ELSE coalesce(
            last(s.stage ORDER BY a.published, s.priority DESC, a.alert_id)
                FILTER (WHERE s.stage <> 'reported'),
            'reported')
    END AS status,
    count(*)::INTEGER AS n_alerts,
    count(DISTINCT a.organisation)::INTEGER AS n_members
FROM case_alerts AS c
JOIN alerts AS a USING (alert_id)
JOIN case_alert_stages AS s USING (alert_id)
GROUP BY c.case_id
ORDER BY first_date, c.case_id;

CREATE OR REPLACE TABLE case_redirects AS
SELECT old_case_id, case_id FROM case_redirect_rows ORDER BY old_case_id;
