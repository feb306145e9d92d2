-- The maintenance window (issue 7): while it lasts, the bot answers service requests with a
-- notice and the expected end. At most one window, kept in the database so every process
-- sees it; setting and clearing it are audited in the audit log.
CREATE TABLE maintenance_window (
    id            BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    starts_at_ms  BIGINT NOT NULL,
    ends_at_ms    BIGINT NOT NULL,
    set_by        TEXT   NOT NULL,
    set_at_ms     BIGINT NOT NULL,
    CHECK (ends_at_ms > starts_at_ms)
);

