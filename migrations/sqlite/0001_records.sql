-- Records: depositors, their accounts and operations, chats, audit log (SQLite).
-- Integers are BIGINT (INTEGER for rowid keys), booleans 0/1, money in tiyn,
-- instants in unix milliseconds, dates as 'YYYY-MM-DD' text.

CREATE TABLE depositors (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    iin                   TEXT    NOT NULL UNIQUE,
    last_name             TEXT    NOT NULL,
    first_name            TEXT    NOT NULL,
    patronymic            TEXT,
    birth_date            TEXT    NOT NULL,
    sex                   TEXT    NOT NULL CHECK (sex IN ('male', 'female')),
    phone                 TEXT,
    email                 TEXT,
    disability_group      BIGINT  CHECK (disability_group IN (1, 2, 3)),
    disability_indefinite BIGINT  NOT NULL DEFAULT 0 CHECK (disability_indefinite IN (0, 1)),
    created_at_ms         BIGINT  NOT NULL
);
CREATE INDEX depositors_phone ON depositors (phone);
CREATE INDEX depositors_email ON depositors (email);

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    depositor_id BIGINT  NOT NULL REFERENCES depositors (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('opv', 'oppv', 'opvr', 'dpv')),
    opened_on    TEXT    NOT NULL,
    manager      TEXT    NOT NULL DEFAULT 'nbrk',
    UNIQUE (depositor_id, kind)
);

CREATE TABLE account_operations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    BIGINT  NOT NULL REFERENCES accounts (id),
    op_date       TEXT    NOT NULL,
    kind          TEXT    NOT NULL
                  CHECK (kind IN ('contribution', 'investment_income', 'payout', 'transfer', 'fee')),
    amount_tiyn   BIGINT  NOT NULL,
    payer         TEXT,
    period        TEXT,
    created_at_ms BIGINT  NOT NULL
);
CREATE INDEX account_operations_account_date ON account_operations (account_id, op_date);

CREATE TABLE chats (
    chat_id       INTEGER PRIMARY KEY,
    user_id       BIGINT  NOT NULL,
    language      TEXT    CHECK (language IN ('kk', 'ru', 'en')),
    depositor_id  BIGINT  REFERENCES depositors (id),
    remember_iin  TEXT,
    created_at_ms BIGINT  NOT NULL,
    last_seen_ms  BIGINT  NOT NULL,
    unreachable   BIGINT  NOT NULL DEFAULT 0 CHECK (unreachable IN (0, 1))
);
CREATE INDEX chats_depositor ON chats (depositor_id);

-- No foreign key to chats: the audit trail outlives everything it mentions.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms   BIGINT  NOT NULL,
    chat_id BIGINT,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    subject TEXT,
    details TEXT
);
CREATE INDEX audit_log_at ON audit_log (at_ms);
CREATE INDEX audit_log_chat_at ON audit_log (chat_id, at_ms);
