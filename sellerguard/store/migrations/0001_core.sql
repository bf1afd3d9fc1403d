-- Core store schema: imported files, item rows, linking keys, verdicts, watchlist, settings.
-- Dates are ISO 8601 text (Asia/Tokyo offsets kept); booleans are 0/1.

CREATE TABLE imported_files (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT,
    encoding TEXT,
    size_bytes INTEGER,
    rows_in INTEGER NOT NULL DEFAULT 0,
    rows_read INTEGER NOT NULL DEFAULT 0,
    problems INTEGER NOT NULL DEFAULT 0,
    problems_json TEXT NOT NULL DEFAULT '[]',
    new_orders INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL
);

CREATE TABLE items (
    item_key TEXT PRIMARY KEY,
    file_id INTEGER REFERENCES imported_files(id),
    order_id TEXT NOT NULL,
    order_item_id TEXT,
    merchant_order_id TEXT,
    purchase_date TEXT,
    last_updated_date TEXT,
    payments_date TEXT,
    order_status TEXT,
    item_status TEXT,
    fulfillment_channel TEXT,
    sales_channel TEXT,
    sku TEXT,
    asin TEXT,
    product_name TEXT,
    quantity INTEGER,
    quantity_shipped INTEGER,
    quantity_to_ship INTEGER,
    currency TEXT,
    item_price REAL,
    item_tax REAL,
    shipping_price REAL,
    shipping_tax REAL,
    order_total REAL,
    buyer_email TEXT,
    buyer_name TEXT,
    buyer_phone TEXT,
    recipient_name TEXT,
    ship_address_1 TEXT,
    ship_address_2 TEXT,
    ship_address_3 TEXT,
    ship_city TEXT,
    ship_state TEXT,
    ship_postal_code TEXT,
    ship_country TEXT,
    ship_phone TEXT,
    is_business_order INTEGER,
    payment_method TEXT,
    cod_collectible_amount REAL,
    payment_method_fee REAL,
    already_paid REAL,
    return_date TEXT,
    return_reason TEXT,
    return_status TEXT,
    return_quantity INTEGER,
    rma_id TEXT,
    refund_amount REAL,
    source_kind TEXT NOT NULL,
    source_file TEXT,
    source_line INTEGER,
    pii_purged_at TEXT
);
CREATE INDEX items_order_id ON items(order_id);

-- Linking keys per order: salted hashes stay for good; the plain normalised keys are
-- personal data and are cleared with the raw buyer data when retention expires.
CREATE TABLE order_keys (
    order_id TEXT PRIMARY KEY,
    address_hash TEXT,
    phone_hash TEXT,
    name_hash TEXT,
    account_hash TEXT,
    address_key TEXT,
    phone_key TEXT,
    name_key TEXT,
    account_key TEXT
);
CREATE INDEX order_keys_address ON order_keys(address_hash);
CREATE INDEX order_keys_phone ON order_keys(phone_hash);
CREATE INDEX order_keys_name ON order_keys(name_hash);
CREATE INDEX order_keys_account ON order_keys(account_hash);

CREATE TABLE verdicts (
    order_id TEXT PRIMARY KEY,
    verdict TEXT NOT NULL CHECK (verdict IN ('harassment', 'legitimate', 'unsure')),
    note TEXT NOT NULL DEFAULT '',
    group_id TEXT,
    evidence TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL
);

CREATE TABLE watchlist (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('address', 'phone', 'name', 'account')),
    key_hash TEXT NOT NULL,
    display TEXT,
    note TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    UNIQUE (kind, key_hash)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE store_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO store_state (key, value) VALUES ('revision', '0'), ('data_revision', '0');
