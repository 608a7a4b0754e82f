-- Derived tables, recomputed at the end of every build for the cells (country,
-- area) in the temporary table affected_cells (all of them in a full build; in a
-- patched build those of the laws that changed and of the laws they relate to:
-- ingest/build/affected.py).

-- The principal law of each member state and area: among the laws covering the
-- area, those in force first (then enacted, then drafts); then laws whose
-- principal area it is; not an amending law; the law others amend or
-- implement; the higher-ranked instrument type; the latest entry into force.
DELETE FROM principal_laws WHERE (country, area) IN (SELECT country, area FROM affected_cells);
INSERT INTO principal_laws (country, area, law_id)
WITH rel AS (
  SELECT law_id,
         max(type = 'amends') AS amends,
         count(DISTINCT CASE WHEN type IN ('amended-by', 'implemented-by') THEN target_id END) AS base
  FROM relations WHERE law_id IN (SELECT id FROM cell_laws) GROUP BY law_id
),
ranked AS (
  SELECT l.country, la.area, l.id,
         ROW_NUMBER() OVER (
           PARTITION BY l.country, la.area
           ORDER BY CASE l.status WHEN 'in-force' THEN 0 WHEN 'partly-in-force' THEN 0
                                  WHEN 'enacted-not-in-force' THEN 1 ELSE 2 END,
                    la.position = 0 DESC,
                    coalesce(rel.amends, 0),
                    coalesce(rel.base, 0) DESC,
                    it.position,
                    CASE WHEN l.in_force GLOB '[0-9]*' THEN l.in_force ELSE '' END DESC,
                    l.id
         ) AS rank
  FROM law_areas la
  JOIN laws l ON l.id = la.law_id
  JOIN instrument_types it ON it.code = l.instrument_type
  LEFT JOIN rel ON rel.law_id = l.id
  WHERE l.status IN ('in-force', 'partly-in-force', 'enacted-not-in-force', 'draft')
    AND l.id IN (SELECT id FROM cell_laws)
    AND (l.country, la.area) IN (SELECT country, area FROM affected_cells)
)
SELECT country, area, id FROM ranked WHERE rank = 1 ORDER BY country, area;
