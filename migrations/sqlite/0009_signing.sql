-- One-time EDS signing requests behind the links `PUBLIC_URL/sign/{token}` (SQLite).
-- Same conventions as 0001: BIGINT integers, instants in unix milliseconds, codes as text.
--
-- Only the SHA-256 of the random token is stored, never the token. A request is bound to the
-- chat that asked for it, the IIN that must sign and the exact bytes to sign (`document_sha256`):
-- an application's canonical JSON (kept in `applications.document`) or, for sign-in, a server
-- nonce kept here in `nonce`. `refusals` counts refused posts (the page may be posted at most a
-- few times); `spent_at_ms` is set once, by the one post that succeeds; for sign-in,
-- `redeemed_at_ms` is set once, when the chat's login is opened from the spent request.
CREATE TABLE signing_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    token_sha256    TEXT    NOT NULL UNIQUE,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('document', 'sign_in')),
    chat_id         BIGINT  NOT NULL,
    lang            TEXT    NOT NULL,
    iin             TEXT    NOT NULL,
    depositor_id    BIGINT  REFERENCES depositors (id) ON DELETE CASCADE,
    application_id  BIGINT  REFERENCES applications (id) ON DELETE CASCADE,
    nonce           TEXT,
    document_sha256 TEXT    NOT NULL,
    created_at_ms   BIGINT  NOT NULL,
    expires_at_ms   BIGINT  NOT NULL,
    posts           BIGINT  NOT NULL DEFAULT 0,
    refusals        BIGINT  NOT NULL DEFAULT 0,
    spent_at_ms     BIGINT,
    signer_serial   TEXT,
    verifier        TEXT,
    redeemed_at_ms  BIGINT,
    CHECK ((purpose = 'document') = (application_id IS NOT NULL)),
    CHECK ((purpose = 'sign_in') = (nonce IS NOT NULL))
);
CREATE INDEX signing_requests_application ON signing_requests (application_id);
CREATE INDEX signing_requests_chat ON signing_requests (chat_id, purpose, spent_at_ms);
