-- Outbox, broadcasts and staff roles (SQLite).
-- Same conventions as 0001: BIGINT integers, booleans 0/1, instants in unix milliseconds.

-- A broadcast: who made it, for whom (a label), the message per language, and how far it got.
-- `texts` is JSON: {"default_lang": "ru", "messages": {"kk": {...}, "ru": {...}, "en": {...}}}.
CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by      BIGINT  NOT NULL,
    created_at_ms   BIGINT  NOT NULL,
    audience        TEXT    NOT NULL,
    texts           TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'done', 'cancelled')),
    total           BIGINT  NOT NULL DEFAULT 0,
    started_at_ms   BIGINT,
    finished_at_ms  BIGINT,
    cancelled_by    BIGINT
);

-- One message to deliver. `payload` is JSON, already rendered ({"message": {...}}) or keyed
-- to its broadcast's texts ({"broadcast_text": {"lang": "kk"}}). Lower `priority` goes first.
-- A row is due when `outcome IS NULL AND next_attempt_ms <= now`; a claim sets the lease and
-- moves `next_attempt_ms` to the lease's end, so a crashed worker's rows come due again by
-- themselves. After the outcome, `lease_owner` keeps the worker that settled the row.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id             BIGINT  NOT NULL,
    kind                TEXT    NOT NULL CHECK (kind IN
                        ('interactive', 'status', 'reminder', 'contribution', 'document', 'broadcast')),
    priority            BIGINT  NOT NULL,
    payload             TEXT    NOT NULL,
    broadcast_id        BIGINT  REFERENCES broadcasts (id),
    dedupe_key          TEXT    UNIQUE,
    created_at_ms       BIGINT  NOT NULL,
    not_before_ms       BIGINT  NOT NULL,
    attempts            BIGINT  NOT NULL DEFAULT 0,
    next_attempt_ms     BIGINT  NOT NULL,
    lease_owner         TEXT,
    lease_until_ms      BIGINT,
    outcome             TEXT    CHECK (outcome IN ('sent', 'failed', 'unreachable', 'cancelled')),
    outcome_at_ms       BIGINT,
    telegram_message_id BIGINT,
    last_error          TEXT
);
-- The claim: due rows, highest priority (lowest number) first.
CREATE INDEX outbox_due ON outbox (priority, next_attempt_ms) WHERE outcome IS NULL;
-- Progress, cancellation and "is it done" per broadcast.
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, outcome) WHERE broadcast_id IS NOT NULL;

-- Staff roles by Telegram user id; a user may hold several. `granted_by` is NULL when the
-- role was granted from the command line.
CREATE TABLE staff (
    user_id       BIGINT  NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'broadcaster', 'operator')),
    granted_by    BIGINT,
    granted_at_ms BIGINT  NOT NULL,
    PRIMARY KEY (user_id, role)
);
