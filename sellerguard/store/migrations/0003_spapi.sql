-- SP-API pull state (area: spapi). Credentials are never stored here.

-- How far each pulled stream is complete: the end of the last window pulled in full.
CREATE TABLE IF NOT EXISTS spapi_cursor (
    stream TEXT PRIMARY KEY,           -- 'orders': all-orders report + getOrders (+ buyer report)
    covered_until TEXT NOT NULL,       -- ISO 8601 UTC; the next pull starts here
    updated_at TEXT NOT NULL
);

-- One row per pull: what was asked, what came back, what is missing and why. No PII.
CREATE TABLE IF NOT EXISTS spapi_pull_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    since TEXT NOT NULL,
    until TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('complete', 'partial', 'cancelled', 'failed')),
    files INTEGER NOT NULL DEFAULT 0,
    rows INTEGER NOT NULL DEFAULT 0,
    new_orders INTEGER NOT NULL DEFAULT 0,
    missing TEXT NOT NULL DEFAULT '',  -- '|'-joined notes, e.g. 'buyer_report:restricted_role_missing'
    error_reason TEXT                  -- SpApiError reason when outcome is 'failed'
);
