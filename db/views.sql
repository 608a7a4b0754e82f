-- Views of the built database; created by `lawrepo build` after the tables.

-- Relations of each law, one row per (law, type, target) whichever record states it.
CREATE VIEW law_relations AS
SELECT r.law_id, r.type, rt.label AS type_label, r.target_id,
       t.title AS target_title, t.short_title AS target_short_title, t.year AS target_year,
       t.status AS target_status, max(r.note) AS note
FROM relations r
JOIN relation_types rt ON rt.code = r.type
JOIN laws t ON t.id = r.target_id
GROUP BY r.law_id, r.type, r.target_id;

-- One row per member state and area: the principal law for that cell (from
-- principal_laws, filled by db/derived.sql), or the explicit statement
-- (none / draft / partial / unknown) from the country profile.
CREATE VIEW country_area_status AS
SELECT c.code AS country, c.name AS country_name, a.code AS area, a.label AS area_label,
       a.position AS area_position,
       CASE
         WHEN l.status IN ('in-force', 'partly-in-force', 'enacted-not-in-force') THEN l.status
         WHEN cov.status IS NOT NULL THEN cov.status
         WHEN l.status = 'draft' THEN 'draft'
         ELSE 'unknown'
       END AS cell_status,
       l.id AS law_id, coalesce(l.short_title, l.title) AS law_title, l.year AS law_year,
       cov.status AS statement, cov.note AS statement_note
FROM countries c
CROSS JOIN areas a
LEFT JOIN principal_laws p ON p.country = c.code AND p.area = a.code
LEFT JOIN laws l ON l.id = p.law_id
LEFT JOIN coverage cov ON cov.country = c.code AND cov.area = a.code;
