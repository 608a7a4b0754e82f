-- Tables shaped for the site's pages (their columns: db/schema.sql), recomputed at
-- the end of every build after db/derived.sql and db/views.sql: rows of the cells
-- (country, area) in the temporary table affected_cells and of the countries in
-- affected_countries (all of them in a full build; in a patched build those of the
-- laws that changed and of the laws they relate to), then the totals in full.

-- Each member state's laws in each area, in the order the pages list them.
DELETE FROM page_country_laws WHERE (country, area) IN (SELECT country, area FROM affected_cells);
INSERT INTO page_country_laws
SELECT l.country, la.area,
       ROW_NUMBER() OVER (PARTITION BY l.country, la.area ORDER BY s.position, l.year DESC, l.title, l.id),
       l.id, l.title, l.short_title, l.number, l.year, l.status, s.label, l.in_force,
       l.verification, v.label, l.last_verified, la.position = 0
FROM laws l
JOIN law_areas la ON la.law_id = l.id
JOIN statuses s ON s.code = l.status
JOIN verification_statuses v ON v.code = l.verification
WHERE l.id IN (SELECT id FROM cell_laws) AND (l.country, la.area) IN (SELECT country, area FROM affected_cells);

-- Each cell of the member states × areas grid, with its labels and number of laws.
DELETE FROM page_area_cells WHERE (country, area) IN (SELECT country, area FROM affected_cells);
INSERT INTO page_area_cells
WITH counted AS (
  SELECT country, area, max(rank) AS laws FROM page_country_laws
  WHERE (country, area) IN (SELECT country, area FROM affected_cells) GROUP BY country, area
)
SELECT s.country, s.country_name, s.area, s.area_label, s.area_position, s.cell_status,
       s.law_id, s.law_title, s.law_year, s.statement, s.statement_note, l.verification,
       st.label, coalesce(cc.label, st.label), coalesce(sc.label, ss.label), gl.label,
       coalesce(n.laws, 0)
FROM country_area_status s
LEFT JOIN laws l ON l.id = s.law_id
LEFT JOIN statuses st ON st.code = s.cell_status
LEFT JOIN coverage_statuses cc ON cc.code = s.cell_status
LEFT JOIN coverage_statuses sc ON sc.code = s.statement
LEFT JOIN statuses ss ON ss.code = s.statement
LEFT JOIN coverage_statuses gl ON gl.code = coalesce(s.statement, s.cell_status)
LEFT JOIN counted n ON n.country = s.country AND n.area = s.area
WHERE (s.country, s.area) IN (SELECT country, area FROM affected_cells);

-- Member states with their number of laws, and of laws in force.
DELETE FROM page_home_countries WHERE code IN (SELECT code FROM affected_countries);
INSERT INTO page_home_countries
SELECT c.code, c.name, count(l.id), coalesce(sum(l.status IN ('in-force', 'partly-in-force')), 0)
FROM countries c LEFT JOIN laws l ON l.country = c.code
WHERE c.code IN (SELECT code FROM affected_countries)
GROUP BY c.code;

-- Each member state's dated events: adoption (else promulgation), entry into force,
-- replacement (on the replacing law's entry into force), repeal. Only the events of
-- the laws in event_laws are written again (all of them in a full build): a law's
-- events depend on its own record, and a replacement also on the replaced law's title.
DELETE FROM page_country_events WHERE law_id IN (SELECT id FROM event_laws);
DELETE FROM page_country_events WHERE other_id IN (SELECT id FROM event_laws);
INSERT INTO page_country_events
WITH mine AS (
  SELECT id, country, coalesce(short_title, title) AS name, adopted, promulgated, in_force, repealed
  FROM laws WHERE id IN (SELECT id FROM event_laws)
),
events AS (
  SELECT country, CASE WHEN coalesce(adopted, '') != '' THEN adopted ELSE promulgated END AS date,
         CASE WHEN coalesce(adopted, '') != '' THEN 0 ELSE 1 END AS rank,
         CASE WHEN coalesce(adopted, '') != '' THEN 'adopted' ELSE 'promulgated' END AS event,
         id AS law_id, name AS law_title, NULL AS other_id, NULL AS other_title
  FROM mine
  UNION ALL
  SELECT country, in_force, 2, 'came into force', id, name, NULL, NULL FROM mine
  UNION ALL
  SELECT country, repealed, 4, 'repealed', id, name, NULL, NULL FROM mine
  UNION ALL
  SELECT * FROM (
    SELECT l.country, l.in_force, 3, 'replaced', r.law_id, coalesce(l.short_title, l.title), r.target_id,
           coalesce(t.short_title, t.title)
    FROM relations r JOIN laws l ON l.id = r.law_id JOIN laws t ON t.id = r.target_id
    WHERE r.type = 'replaces' AND r.stated_in IN (r.law_id, r.target_id)
      AND (r.law_id IN (SELECT id FROM event_laws) OR r.target_id IN (SELECT id FROM event_laws))
    GROUP BY r.law_id, r.target_id
  )
)
SELECT country, date, rank, event, law_id, law_title, other_id, other_title
FROM events WHERE coalesce(date, '') NOT IN ('', 'unknown');

-- The totals, in full: small tables, or one pass over an index.
DELETE FROM page_home_areas;
INSERT INTO page_home_areas
SELECT a.code, a.label, a.description, a.is_primary, a.position,
       (SELECT coalesce(sum(laws), 0) FROM page_area_cells WHERE area = a.code),
       (SELECT count(*) FROM indicators WHERE area = a.code)
FROM areas a;

DELETE FROM page_home_verification;
INSERT INTO page_home_verification
SELECT v.code, v.label, v.description, v.position, (SELECT count(*) FROM laws WHERE verification = v.code)
FROM verification_statuses v;

DELETE FROM page_home_totals;
INSERT INTO page_home_totals
SELECT 1, (SELECT coalesce(sum(laws), 0) FROM page_home_countries), (SELECT coalesce(sum(in_force), 0) FROM page_home_countries),
       count(*), coalesce(sum(value = 'unknown'), 0), coalesce(sum(review_status = 'disputed'), 0), count(DISTINCT country),
       (SELECT count(*) FROM indicators), (SELECT version FROM codebook LIMIT 1)
FROM answers WHERE period = 0;
