-- The registry of issued statements and certificates, looked up by `/verify NUMBER` (PostgreSQL).
-- `number` is random (Crockford base32 with a check symbol), so it is the key; no personal data
-- but the masked IIN. `period_to` is the day the figures are as of; `period_from` a statement's
-- first day. `sha256` is the hex digest of the PDF that was sent.

CREATE TABLE issued_documents (
    number       TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL
                 CHECK (kind IN ('statement', 'accounts_certificate', 'oppv_certificate')),
    depositor_id BIGINT  NOT NULL REFERENCES depositors (id),
    iin_masked   TEXT    NOT NULL,
    period_from  TEXT,
    period_to    TEXT,
    issued_at_ms BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    lang         TEXT    NOT NULL CHECK (lang IN ('kk', 'ru', 'en'))
);
CREATE INDEX issued_documents_depositor ON issued_documents (depositor_id, issued_at_ms);
