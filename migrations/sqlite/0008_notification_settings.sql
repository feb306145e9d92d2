-- Per-chat switches for notification kinds a user may turn off (status changes of their own
-- applications are always sent and have no row). No row means on.
CREATE TABLE notification_settings (
    chat_id       BIGINT NOT NULL,
    kind          TEXT   NOT NULL CHECK (kind IN ('reminder', 'contribution', 'document')),
    enabled       BIGINT NOT NULL CHECK (enabled IN (0, 1)),
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (chat_id, kind)
);
