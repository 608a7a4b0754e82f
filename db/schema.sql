-- Schema of the built database (db/laws.db). The database is rebuilt from the
-- records in laws/ by `lawrepo build`; never edit it by hand.

-- Controlled vocabularies (laws/vocabularies/*.yml), one table each.
CREATE TABLE vocabularies (
  name TEXT PRIMARY KEY,          -- vocabulary name = file name
  title TEXT NOT NULL,
  table_name TEXT NOT NULL        -- table holding its entries
);
CREATE TABLE areas (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT,
  is_primary INTEGER NOT NULL,    -- 1: one of the five Outcome 9 areas; 0: secondary
  position INTEGER NOT NULL
);
CREATE TABLE instrument_types (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE statuses (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE verification_statuses (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE evidence_levels (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE relation_types (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, inverse TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE link_kinds (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE coverage_statuses (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE languages (code TEXT PRIMARY KEY, label TEXT NOT NULL, script TEXT, spaces INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE international_instruments (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, year INTEGER, body TEXT, position INTEGER NOT NULL
);

-- Member states (laws/countries/*.yml)
CREATE TABLE countries (
  code TEXT PRIMARY KEY,          -- ISO 3166-1 alpha-2
  name TEXT NOT NULL,
  official_name TEXT,
  iso3 TEXT NOT NULL,
  m49 TEXT NOT NULL,              -- UN M49, zero-padded
  asean_member_since TEXT NOT NULL,  -- YYYY-MM-DD or partial
  official_languages TEXT NOT NULL,  -- JSON array of BCP 47 tags
  legislative_portal_name TEXT, legislative_portal_url TEXT,
  trade_repository_name TEXT, trade_repository_url TEXT,
  verification TEXT NOT NULL REFERENCES verification_statuses(code),
  evidence TEXT NOT NULL REFERENCES evidence_levels(code),
  provenance_note TEXT,
  file TEXT NOT NULL
);

-- Explicit statements for country x area cells without a law in force.
CREATE TABLE coverage (
  country TEXT NOT NULL REFERENCES countries(code),
  area TEXT NOT NULL REFERENCES areas(code),
  status TEXT NOT NULL REFERENCES coverage_statuses(code),
  as_of TEXT,
  note TEXT NOT NULL,
  PRIMARY KEY (country, area)
);
CREATE TABLE coverage_sources (
  country TEXT NOT NULL,
  area TEXT NOT NULL,
  position INTEGER NOT NULL,
  citation TEXT NOT NULL,
  url TEXT,
  accessed TEXT,
  supports TEXT,
  PRIMARY KEY (country, area, position),
  FOREIGN KEY (country, area) REFERENCES coverage(country, area)
);

-- Law records (laws/<cc>/<slug>.yml)
CREATE TABLE laws (
  id TEXT PRIMARY KEY,
  country TEXT NOT NULL REFERENCES countries(code),
  title TEXT NOT NULL,
  short_title TEXT,
  local_title TEXT,               -- first title in an official language
  instrument_type TEXT NOT NULL REFERENCES instrument_types(code),
  number TEXT,
  year INTEGER,                   -- year of adoption, else promulgation, else entry into force
  adopted TEXT, promulgated TEXT, in_force TEXT, repealed TEXT,  -- YYYY[-MM[-DD]]; in_force may be 'unknown'
  status TEXT NOT NULL REFERENCES statuses(code),
  principal_area TEXT NOT NULL REFERENCES areas(code),
  areas TEXT NOT NULL,            -- JSON array of area codes (for array facets)
  agency TEXT,
  summary TEXT,                   -- Markdown
  official_url TEXT,              -- first official link
  verification TEXT NOT NULL REFERENCES verification_statuses(code),
  evidence TEXT NOT NULL REFERENCES evidence_levels(code),
  last_verified TEXT,
  provenance_note TEXT,
  file TEXT NOT NULL,             -- path of the record below laws/
  search_folded TEXT,             -- local titles as written and all titles without diacritics, for search
  unsupported TEXT                -- JSON array: stated facts no official source supports (empty when checked)
);
CREATE INDEX laws_country ON laws(country, status);
CREATE INDEX laws_status ON laws(status);
CREATE INDEX laws_instrument_type ON laws(instrument_type);
CREATE INDEX laws_principal_area ON laws(principal_area);
CREATE INDEX laws_verification ON laws(verification);
CREATE INDEX laws_last_verified ON laws(last_verified);
CREATE INDEX laws_year ON laws(year DESC, id);  -- the laws table's default order

CREATE TABLE law_areas (
  law_id TEXT NOT NULL REFERENCES laws(id),
  area TEXT NOT NULL REFERENCES areas(code),
  position INTEGER NOT NULL,      -- 0 = principal area
  PRIMARY KEY (law_id, area)
);
CREATE INDEX law_areas_area ON law_areas(area);

CREATE TABLE law_titles (
  law_id TEXT NOT NULL REFERENCES laws(id),
  position INTEGER NOT NULL,
  lang TEXT NOT NULL REFERENCES languages(code),
  title TEXT NOT NULL,
  title_folded TEXT NOT NULL,     -- without diacritics (Vietnamese typed without accents)
  PRIMARY KEY (law_id, position)
);

-- Every way a law is cited or a member state named (ingest/build/aliases.py), for search.
CREATE TABLE aliases (
  law_id TEXT REFERENCES laws(id),  -- the law; NULL for a name of the member state itself
  country TEXT NOT NULL REFERENCES countries(code),
  alias TEXT NOT NULL,              -- as written: 'UU 27/2022', 'RA 10173', 'Nghị định 13/2023/ND-CP', 'Burma'
  key TEXT NOT NULL,                -- ingest.common.text.search_key(alias): what a search is compared with
  form TEXT NOT NULL,               -- number, citation, year (a Thai B.E. year) or name (of a member state)
  rank INTEGER NOT NULL             -- search order of the form: 0 number, 1 citation, 2 year, 3 name
);
CREATE INDEX aliases_key ON aliases(key);
CREATE INDEX aliases_law ON aliases(law_id);

-- Relations as stated in records, each also stored in its inverse direction.
CREATE TABLE relations (
  law_id TEXT NOT NULL REFERENCES laws(id),
  type TEXT NOT NULL REFERENCES relation_types(code),
  target_id TEXT NOT NULL REFERENCES laws(id),
  note TEXT,
  stated_in TEXT NOT NULL REFERENCES laws(id),  -- the record that states it
  PRIMARY KEY (law_id, type, target_id, stated_in)
);
CREATE INDEX relations_target ON relations(target_id);
CREATE INDEX relations_stated_in ON relations(stated_in);

CREATE TABLE provisions (
  law_id TEXT NOT NULL REFERENCES laws(id),
  position INTEGER NOT NULL,
  ref TEXT NOT NULL,
  heading TEXT NOT NULL,
  summary TEXT,
  area TEXT REFERENCES areas(code),
  url TEXT,                       -- deep link to the provision on the official site
  quote TEXT,                     -- a short verbatim quote of the operative words
  quote_lang TEXT,
  quote_url TEXT,                 -- address of the text quoted
  quote_via TEXT,                 -- where a faithful copy of it was read
  quote_official INTEGER NOT NULL DEFAULT 0,  -- the quoted text is at an official address
  PRIMARY KEY (law_id, position)
);
CREATE INDEX provisions_area ON provisions(area);

CREATE TABLE sources (
  law_id TEXT NOT NULL REFERENCES laws(id),
  position INTEGER NOT NULL,
  citation TEXT NOT NULL,
  url TEXT,
  accessed TEXT,
  supports TEXT,                  -- JSON array of the record's fields this source states
  provisions TEXT,                -- JSON array of the provision refs it shows
  official INTEGER NOT NULL,      -- url is at an official address (laws/sources/official-hosts.yml)
  via TEXT,                       -- where a faithful copy was read, when not at url
  note TEXT,
  PRIMARY KEY (law_id, position)
);

CREATE TABLE links (
  law_id TEXT NOT NULL REFERENCES laws(id),
  position INTEGER NOT NULL,
  url TEXT NOT NULL,
  kind TEXT NOT NULL REFERENCES link_kinds(code),
  language TEXT NOT NULL,
  official INTEGER NOT NULL,      -- 1 when published by the state as authoritative
  title TEXT,
  official_text INTEGER NOT NULL DEFAULT 0,  -- 1 when the address is an official one (laws/sources/official-hosts.yml)
  PRIMARY KEY (law_id, position)
);

CREATE TABLE alignments (
  law_id TEXT NOT NULL REFERENCES laws(id),
  instrument TEXT NOT NULL REFERENCES international_instruments(code),
  note TEXT,
  PRIMARY KEY (law_id, instrument)
);
CREATE INDEX alignments_instrument ON alignments(instrument);

-- The principal law of each member state and area (derived: db/derived.sql).
CREATE TABLE principal_laws (
  country TEXT NOT NULL REFERENCES countries(code),
  area TEXT NOT NULL REFERENCES areas(code),
  law_id TEXT NOT NULL REFERENCES laws(id),
  PRIMARY KEY (country, area)
);

-- What was in force in each member state and area, period by period (derived
-- from law dates and relations by ingest/timeline.py): the "as of" views.
CREATE TABLE area_periods (
  country TEXT NOT NULL REFERENCES countries(code),
  area TEXT NOT NULL REFERENCES areas(code),
  starts TEXT NOT NULL,           -- first day (YYYY-MM-DD)
  ends TEXT,                      -- first day it no longer holds; NULL: still holds
  status TEXT NOT NULL REFERENCES statuses(code),  -- in-force, partly-in-force or enacted-not-in-force
  law_id TEXT NOT NULL REFERENCES laws(id),        -- the principal law of the cell in that period
  approx INTEGER NOT NULL,        -- 1 when a boundary rests on an unknown or partial date
  PRIMARY KEY (country, area, starts)
);

-- The indicator codebook (laws/codebook/).
CREATE TABLE codebook (
  name TEXT PRIMARY KEY, title TEXT NOT NULL, version TEXT NOT NULL, date TEXT NOT NULL, description TEXT NOT NULL
);
CREATE TABLE codebook_changes (
  position INTEGER PRIMARY KEY, version TEXT NOT NULL, date TEXT NOT NULL, summary TEXT NOT NULL,
  indicators TEXT                 -- JSON array of the indicator ids changed; NULL: all
);
CREATE TABLE answer_types (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE answer_values (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE units (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE review_statuses (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE indicators (
  id TEXT PRIMARY KEY,
  area TEXT NOT NULL REFERENCES areas(code),
  position INTEGER NOT NULL,      -- order within the codebook
  number INTEGER NOT NULL,        -- order within its area, from 1
  question TEXT NOT NULL,
  answer_type TEXT NOT NULL REFERENCES answer_types(code),
  unit TEXT REFERENCES units(code),
  guidance TEXT NOT NULL,
  origin TEXT NOT NULL,           -- where the question comes from, '; '-separated
  basis_required INTEGER NOT NULL,  -- 0 when answers rest on an international status, not a national law
  since_version TEXT NOT NULL,
  withdrawn_in TEXT,
  file TEXT NOT NULL
);
CREATE INDEX indicators_area ON indicators(area, position);
CREATE TABLE indicator_options (
  indicator TEXT NOT NULL REFERENCES indicators(id),
  position INTEGER NOT NULL,
  code TEXT NOT NULL, label TEXT NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (indicator, code)
);
CREATE TABLE indicator_references (
  indicator TEXT NOT NULL REFERENCES indicators(id),
  position INTEGER NOT NULL,
  instrument TEXT NOT NULL REFERENCES international_instruments(code),
  article TEXT,
  PRIMARY KEY (indicator, position)
);

-- Answers (laws/answers/<cc>.yml): one row per member state, indicator and
-- period; period 0 is the current answer, 1.. the earlier ones, newest first.
CREATE TABLE answers (
  country TEXT NOT NULL REFERENCES countries(code),
  indicator TEXT NOT NULL REFERENCES indicators(id),
  period INTEGER NOT NULL,
  value TEXT NOT NULL,            -- yes/partial/no/not-applicable/unknown, an option code, or a number
  number REAL,                    -- the value of a number answer
  currency TEXT,                  -- ISO 4217, for amounts of money
  since TEXT, until TEXT,         -- as recorded (partial dates allowed)
  starts TEXT,                    -- first day it held; '0000-01-01': before anything recorded; NULL: not known
  ends TEXT,                      -- first day it no longer held; NULL for the current answer
  note TEXT,
  verification TEXT NOT NULL REFERENCES verification_statuses(code),
  verified_by TEXT NOT NULL,
  verified_on TEXT NOT NULL,
  evidence TEXT NOT NULL REFERENCES evidence_levels(code),
  review_status TEXT NOT NULL REFERENCES review_statuses(code),  -- as recorded, raised by completed reviews' findings
  reviewed_by TEXT, reviewed_on TEXT,
  dispute TEXT,                   -- who disputes the answer and why
  review_id TEXT,                 -- the completed review whose finding set the review status; empty: as recorded
  file TEXT NOT NULL,
  PRIMARY KEY (country, indicator, period)
);
CREATE INDEX answers_indicator ON answers(indicator, period, starts);
CREATE INDEX area_periods_area ON area_periods(area, starts);
CREATE INDEX answers_review ON answers(review_status);
CREATE TABLE answer_basis (
  country TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period INTEGER NOT NULL,
  position INTEGER NOT NULL,
  law_id TEXT NOT NULL REFERENCES laws(id),
  provision TEXT,                 -- as cited
  provision_position INTEGER,     -- the provision's position on the law record
  law_title TEXT NOT NULL,        -- derived: the law's short title, or its title
  law_year INTEGER,               -- derived: the law's year
  provision_heading TEXT,         -- derived: the cited provision's heading
  quote TEXT,                     -- a short verbatim quote of the operative words
  quote_lang TEXT,
  quote_url TEXT,
  quote_via TEXT,
  PRIMARY KEY (country, indicator, period, position),
  FOREIGN KEY (country, indicator, period) REFERENCES answers(country, indicator, period)
);
CREATE INDEX answer_basis_law ON answer_basis(law_id);
CREATE TABLE answer_sources (
  country TEXT NOT NULL,
  indicator TEXT NOT NULL,
  position INTEGER NOT NULL,
  citation TEXT NOT NULL, url TEXT, accessed TEXT,
  PRIMARY KEY (country, indicator, position)
);

-- Reviews of national laws (laws/reviews/<id>.yml), Outcome 9.
CREATE TABLE review_types (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE review_stages (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE assessments (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE responses (code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL);
CREATE TABLE reviews (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL REFERENCES review_types(code),
  country TEXT NOT NULL REFERENCES countries(code),  -- the reviewed member state
  title TEXT NOT NULL,
  status TEXT NOT NULL REFERENCES review_stages(code),
  planned TEXT, held TEXT, published TEXT,
  parties TEXT NOT NULL,          -- the parties as one line, for lists and facets
  report_url TEXT, report_title TEXT,
  findings INTEGER NOT NULL,      -- number of findings
  note TEXT,
  file TEXT NOT NULL
);
CREATE INDEX reviews_country ON reviews(country);
CREATE TABLE review_parties (
  review_id TEXT NOT NULL REFERENCES reviews(id),
  position INTEGER NOT NULL,
  country TEXT REFERENCES countries(code),
  body TEXT,
  role TEXT,
  PRIMARY KEY (review_id, position)
);
CREATE TABLE review_scope (
  review_id TEXT NOT NULL REFERENCES reviews(id),
  kind TEXT NOT NULL,             -- area, law or indicator
  value TEXT NOT NULL,
  PRIMARY KEY (review_id, kind, value)
);
CREATE TABLE review_findings (
  review_id TEXT NOT NULL REFERENCES reviews(id),
  position INTEGER NOT NULL,
  country TEXT NOT NULL REFERENCES countries(code),
  indicator TEXT NOT NULL REFERENCES indicators(id),
  assessment TEXT NOT NULL REFERENCES assessments(code),
  comment TEXT,
  recommendation TEXT,
  response TEXT REFERENCES responses(code),
  dispute TEXT,
  PRIMARY KEY (review_id, position)
);
CREATE INDEX review_findings_answer ON review_findings(country, indicator);

-- When each record file was created and last updated (ingest/timestamps.py):
-- git history when laws/ is in a git work tree, else the record's own dates.
CREATE TABLE record_times (
  path TEXT PRIMARY KEY,          -- below laws/, as in files
  created TEXT NOT NULL,          -- ISO 8601 UTC, e.g. 2026-11-29T21:17:00Z
  updated TEXT NOT NULL,
  source TEXT NOT NULL            -- git, git-shallow, working-tree, record or file
);
CREATE INDEX record_times_updated ON record_times(updated);

-- Source files and their content digests (lets a rebuild skip unchanged files).
CREATE TABLE files (
  path TEXT PRIMARY KEY,          -- below laws/
  kind TEXT NOT NULL,             -- schema, vocabulary, country, law; builder: the code and SQL that wrote it
  digest TEXT NOT NULL
);

-- The last check of each law's official page (laws/source-checks/<cc>.yml, written by lawrepo check-sources)
CREATE TABLE source_checks (
  law_id TEXT NOT NULL REFERENCES laws(id),
  url TEXT NOT NULL,
  checked TEXT NOT NULL,          -- YYYY-MM-DD
  result TEXT NOT NULL,           -- unchanged, changed, differs, unreachable, refused, no-parser
  parser TEXT,
  final_url TEXT,
  sha256 TEXT,
  message TEXT,
  differences TEXT NOT NULL,      -- JSON array of {field, recorded, at_source}
  PRIMARY KEY (law_id, url)
);
CREATE INDEX source_checks_result ON source_checks(result);

-- Tables shaped for the site's pages (derived: db/pages.sql), so that a page reads a
-- few rows by key instead of aggregating the laws on every request. Recomputed for the
-- countries a build touched (all of them in a full build); the totals in full.
-- Each cell of the member states × areas grid (the home page, /compare, /country, /area).
CREATE TABLE page_area_cells (
  country TEXT NOT NULL, country_name TEXT NOT NULL,
  area TEXT NOT NULL, area_label TEXT NOT NULL, area_position INTEGER NOT NULL,
  cell_status TEXT NOT NULL,      -- as in the view country_area_status
  law_id TEXT, law_title TEXT, law_year INTEGER,  -- the principal law, if any
  statement TEXT, statement_note TEXT,            -- the country profile's statement on the area
  verification TEXT,              -- of the principal law
  status_label TEXT,              -- label of cell_status among the law statuses
  cell_label TEXT,                -- label of cell_status (coverage statuses first, then law statuses)
  statement_label TEXT,           -- label of the statement
  glance_label TEXT,              -- label of the statement, else of cell_status, among the coverage statuses
  laws INTEGER NOT NULL,          -- laws of the country in the area
  PRIMARY KEY (country, area)
);
CREATE INDEX page_area_cells_order ON page_area_cells(country_name, area_position);
CREATE INDEX page_area_cells_area ON page_area_cells(area, country_name);
-- Member states with their number of laws (home page).
CREATE TABLE page_home_countries (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, laws INTEGER NOT NULL, in_force INTEGER NOT NULL
);
CREATE INDEX page_home_countries_name ON page_home_countries(name);
-- Areas with their number of laws and of indicators (home page).
CREATE TABLE page_home_areas (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, is_primary INTEGER NOT NULL, position INTEGER NOT NULL,
  laws INTEGER NOT NULL, indicators INTEGER NOT NULL
);
-- Verification statuses with their number of law records (home page).
CREATE TABLE page_home_verification (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, position INTEGER NOT NULL, laws INTEGER NOT NULL
);
-- One row of totals (home page).
CREATE TABLE page_home_totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  laws INTEGER NOT NULL, in_force INTEGER NOT NULL,
  answers INTEGER NOT NULL, unknown INTEGER NOT NULL, disputed INTEGER NOT NULL, states INTEGER NOT NULL,
  indicators INTEGER NOT NULL, codebook_version TEXT
);
-- Each member state's laws in each area, in the order the pages list them (rank 1, 2, ...):
-- a page reads the first few of each area or country, and links to the laws table for the rest.
CREATE TABLE page_country_laws (
  country TEXT NOT NULL, area TEXT NOT NULL, rank INTEGER NOT NULL,
  id TEXT NOT NULL, title TEXT NOT NULL, short_title TEXT, number TEXT, year INTEGER,
  status TEXT NOT NULL, status_label TEXT NOT NULL, in_force TEXT,
  verification TEXT NOT NULL, verification_label TEXT NOT NULL, last_verified TEXT,
  principal INTEGER NOT NULL,     -- 1 when the area is the law's principal area
  PRIMARY KEY (country, rank, area)
);
CREATE INDEX page_country_laws_area ON page_country_laws(area, rank);
-- Each member state's dated events (adoption, entry into force, replacement, repeal), oldest first.
CREATE TABLE page_country_events (
  country TEXT NOT NULL,
  date TEXT NOT NULL, rank INTEGER NOT NULL,  -- the order of a day's events: adoption, entry into force, replacement, repeal
  event TEXT NOT NULL, law_id TEXT NOT NULL, law_title TEXT NOT NULL,
  other_id TEXT, other_title TEXT
);
CREATE INDEX page_country_events_order ON page_country_events(country, date, rank, law_id, other_id);
CREATE INDEX page_country_events_law ON page_country_events(law_id);
CREATE INDEX page_country_events_other ON page_country_events(other_id);
