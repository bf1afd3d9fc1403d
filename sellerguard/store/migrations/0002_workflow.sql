-- Defense workflow: checklist progress, filings to Amazon/police/others, evidence log.
-- Dates are ISO 8601 text (YYYY-MM-DD); timestamps are ISO 8601 UTC text.

CREATE TABLE checklist (
    step TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'not_yet'
        CHECK (status IN ('done', 'not_yet', 'not_applicable')),
    done_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE filings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    filed_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    case_id TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT 'waiting'
        CHECK (outcome IN ('waiting', 'no_action', 'partial', 'resolved')),
    follow_up_on TEXT,
    follow_up_done INTEGER NOT NULL DEFAULT 0 CHECK (follow_up_done IN (0, 1)),
    order_ids TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE INDEX filings_follow_up ON filings (follow_up_done, follow_up_on);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_on TEXT NOT NULL,
    title TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    file_name TEXT,
    stored_path TEXT,
    sha256 TEXT,
    size_bytes INTEGER,
    created_at TEXT NOT NULL
);
