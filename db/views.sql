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

-- One row per member state and area: the principal law for that cell, or the
-- explicit statement (none / draft / partial / unknown) from the country profile.
CREATE VIEW country_area_status AS
WITH ranked AS (
  SELECT la.area, l.country, l.id, l.title, l.short_title, l.year, l.status, l.in_force,
         ROW_NUMBER() OVER (
           PARTITION BY l.country, la.area
           ORDER BY CASE l.status WHEN 'in-force' THEN 0 WHEN 'partly-in-force' THEN 0
                                  WHEN 'enacted-not-in-force' THEN 1 ELSE 2 END,
                    la.position = 0 DESC,
                    -- an amending law is not the principal law of its area
                    EXISTS (SELECT 1 FROM relations x WHERE x.law_id = l.id AND x.type = 'amends'),
                    -- the law others amend or implement is the principal one
                    (SELECT count(DISTINCT x.target_id) FROM relations x
                      WHERE x.law_id = l.id AND x.type IN ('amended-by', 'implemented-by')) DESC,
                    it.position,
                    CASE WHEN l.in_force GLOB '[0-9]*' THEN l.in_force ELSE '' END DESC,
                    l.id
         ) AS rank
  FROM law_areas la
  JOIN laws l ON l.id = la.law_id
  JOIN instrument_types it ON it.code = l.instrument_type
  WHERE l.status IN ('in-force', 'partly-in-force', 'enacted-not-in-force', 'draft')
)
SELECT c.code AS country, c.name AS country_name, a.code AS area, a.label AS area_label,
       a.position AS area_position,
       CASE
         WHEN r.status IN ('in-force', 'partly-in-force', 'enacted-not-in-force') THEN r.status
         WHEN cov.status IS NOT NULL THEN cov.status
         WHEN r.status = 'draft' THEN 'draft'
         ELSE 'unknown'
       END AS cell_status,
       r.id AS law_id, coalesce(r.short_title, r.title) AS law_title, r.year AS law_year,
       cov.status AS statement, cov.note AS statement_note
FROM countries c
CROSS JOIN areas a
LEFT JOIN ranked r ON r.country = c.code AND r.area = a.code AND r.rank = 1
LEFT JOIN coverage cov ON cov.country = c.code AND cov.area = a.code;
