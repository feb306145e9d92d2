-- Applications filed through the cabinet and the history of their statuses (SQLite).
-- Same conventions as 0001: BIGINT integers, instants in unix milliseconds, codes as text.
-- Applications belong to their depositor: removing a depositor removes them and their history.

-- The last sequence number given out per year (application numbers are Z-YYYY-NNNNNN).
CREATE TABLE application_counters (
    year          BIGINT  PRIMARY KEY,
    last_sequence BIGINT  NOT NULL
);

-- `document`: the application as canonical JSON (the bytes that are signed);
-- `document_sha256`: its lowercase hex SHA-256. Both or neither.
CREATE TABLE applications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    number          TEXT    NOT NULL UNIQUE,
    depositor_id    BIGINT  NOT NULL REFERENCES depositors (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN
                    ('disability_payout', 'voluntary_payout_age', 'voluntary_payout_disability',
                     'bank_details_change', 'manager_choice', 'return_to_national_bank',
                     'manager_cancellation', 'voluntary_transfer')),
    status          TEXT    NOT NULL CHECK (status IN
                    ('draft', 'awaiting_signature', 'signed', 'accepted', 'under_review',
                     'executed', 'refused', 'returned', 'cancelled')),
    created_at_ms   BIGINT  NOT NULL,
    updated_at_ms   BIGINT  NOT NULL,
    document        TEXT,
    document_sha256 TEXT,
    CHECK ((document IS NULL) = (document_sha256 IS NULL))
);
CREATE INDEX applications_depositor_created ON applications (depositor_id, created_at_ms, id);

-- One row per status an application has had, the first one included. `note_key`: a code
-- of a fixed set (domain::application::StatusNote), never free text.
CREATE TABLE application_status_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL CHECK (status IN
                   ('draft', 'awaiting_signature', 'signed', 'accepted', 'under_review',
                    'executed', 'refused', 'returned', 'cancelled')),
    at_ms          BIGINT  NOT NULL,
    note_key       TEXT
);
CREATE INDEX application_status_history_application ON application_status_history (application_id, id);
