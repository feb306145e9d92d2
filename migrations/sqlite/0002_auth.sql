-- Sign-in: password hashes, one-time codes, password locks and logins (SQLite).
-- Same conventions as 0001: BIGINT integers, instants in unix milliseconds, 0 for "never".

CREATE TABLE credentials (
    depositor_id  INTEGER PRIMARY KEY REFERENCES depositors (id),
    -- argon2id PHC string; never the password.
    password_hash TEXT    NOT NULL,
    updated_at_ms BIGINT  NOT NULL
);

-- One row per code asked for. The code itself is never stored: `code_mac` is the hex
-- HMAC-SHA256 of purpose, IIN, chat and code under the server key (OTP_KEY).
-- `delivery` is 'pending' while the gateway is asked, 'sent' once it accepted the message and
-- 'failed' when it did not (a failed code is revoked and counts against no limit).
-- `used_at_ms`: the code was entered correctly; `redeemed_at_ms`: that verification was spent
-- on a sign-in or a password change (each verification serves one of them).
CREATE TABLE one_time_codes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose        TEXT    NOT NULL CHECK (purpose IN ('registration', 'recovery', 'sign_in')),
    iin            TEXT    NOT NULL,
    chat_id        BIGINT  NOT NULL,
    channel        TEXT    NOT NULL CHECK (channel IN ('sms', 'email')),
    code_mac       TEXT    NOT NULL,
    created_at_ms  BIGINT  NOT NULL,
    expires_at_ms  BIGINT  NOT NULL,
    attempts       BIGINT  NOT NULL DEFAULT 0,
    delivery       TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (delivery IN ('pending', 'sent', 'failed')),
    used_at_ms     BIGINT,
    redeemed_at_ms BIGINT,
    revoked_at_ms  BIGINT
);
CREATE INDEX one_time_codes_iin_purpose_created ON one_time_codes (iin, purpose, created_at_ms);

-- Failed password sign-ins per IIN (known or not: IINs are not secret, and an unknown one must
-- behave like a known one). `locked_until_ms` is 0 when not locked.
CREATE TABLE password_locks (
    iin             TEXT    PRIMARY KEY,
    window_start_ms BIGINT  NOT NULL,
    failures        BIGINT  NOT NULL,
    locked_until_ms BIGINT  NOT NULL DEFAULT 0
);

-- A signed-in chat. Ended rows stay (who was signed in where, and why it ended).
CREATE TABLE logins (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    depositor_id   BIGINT  NOT NULL REFERENCES depositors (id),
    chat_id        BIGINT  NOT NULL,
    created_at_ms  BIGINT  NOT NULL,
    last_active_ms BIGINT  NOT NULL,
    ended_at_ms    BIGINT,
    end_reason     TEXT    CHECK (end_reason IN
                   ('logout', 'idle', 'absolute', 'ended_elsewhere', 'replaced'))
);
CREATE INDEX logins_depositor ON logins (depositor_id);
CREATE INDEX logins_chat ON logins (chat_id);
