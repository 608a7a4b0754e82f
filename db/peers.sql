-- Reconciliation with a peer's data (laws/peers/<peer>.yml, e.g. the UNCTAD
-- Global Cyberlaw Tracker), recomputed at the end of every build by
-- ingest/reconcile.py from the snapshot and the current records.

DROP TABLE IF EXISTS peer_disagreements;
DROP TABLE IF EXISTS peer_status;
DROP TABLE IF EXISTS peer_disagreement_kinds;
DROP TABLE IF EXISTS peer_snapshots;

-- The snapshot: where the peer's data came from and when it was taken.
CREATE TABLE peer_snapshots (
  peer TEXT PRIMARY KEY,          -- e.g. unctad
  title TEXT NOT NULL,
  description TEXT,
  files TEXT NOT NULL,            -- JSON array of the file names read
  source_date TEXT,               -- the peer's release date, when known
  source_ref TEXT,                -- where the files came from
  taken TEXT,                     -- date the snapshot was taken
  acknowledgement TEXT NOT NULL,
  file TEXT NOT NULL              -- path of the snapshot below laws/
);

-- The kinds of disagreement, in the order the report lists them.
CREATE TABLE peer_disagreement_kinds (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT NOT NULL, position INTEGER NOT NULL
);

-- The peer's status beside ours, per member state and peer area.
CREATE TABLE peer_status (
  peer TEXT NOT NULL REFERENCES peer_snapshots(peer),
  country TEXT NOT NULL REFERENCES countries(code),
  unctad_area TEXT NOT NULL,      -- the peer's area, by its name
  area TEXT NOT NULL REFERENCES areas(code),  -- our area whose status is compared
  their_status TEXT NOT NULL,     -- Legislation, Draft Legislation or No Legislation
  their_links INTEGER NOT NULL,   -- documents the peer links for the cell
  our_status TEXT NOT NULL,       -- as on /compare: a law status, or the explicit statement
  our_statement TEXT REFERENCES coverage_statuses(code),  -- the explicit statement, if any
  our_law_id TEXT REFERENCES laws(id),                     -- our principal law of the cell
  disagreements INTEGER NOT NULL,
  PRIMARY KEY (peer, country, unctad_area)
);

-- One row per disagreement.
CREATE TABLE peer_disagreements (
  peer TEXT NOT NULL REFERENCES peer_snapshots(peer),
  position INTEGER NOT NULL,      -- order in the report: by member state, area, then document
  country TEXT NOT NULL REFERENCES countries(code),
  unctad_area TEXT NOT NULL,
  areas TEXT NOT NULL,            -- our areas for the peer's area, comma-separated
  kind TEXT NOT NULL REFERENCES peer_disagreement_kinds(code),
  their_status TEXT NOT NULL,
  their_title TEXT,               -- the document the peer links, when the disagreement is about one
  their_url TEXT,
  law_id TEXT REFERENCES laws(id),  -- our first record concerned
  law_ids TEXT NOT NULL,          -- JSON array of all our records concerned
  match TEXT,                     -- how their document was matched: number, address, title and year, title
  reason TEXT NOT NULL,           -- plain English, naming both sides
  PRIMARY KEY (peer, position)
);
CREATE INDEX peer_disagreements_country ON peer_disagreements(country, kind);
