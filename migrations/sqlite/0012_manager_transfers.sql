-- Transfers of pension savings between trust managers as the fund's registry records them
-- (SQLite). The one-year rule of manager applications counts from the latest `transferred_on`.
-- `savings`: 'mandatory' (ОПВ and ОППВ together) or 'voluntary' (ДПВ); `manager`: the code
-- the savings went to (`nbrk` for a return to the National Bank); `share_percent`: the share
-- of those savings moved (1-50 of mandatory, 1-100 of voluntary; 100 for a return).
CREATE TABLE manager_transfers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    depositor_id   BIGINT  NOT NULL REFERENCES depositors (id) ON DELETE CASCADE,
    transferred_on TEXT    NOT NULL,
    savings        TEXT    NOT NULL CHECK (savings IN ('mandatory', 'voluntary')),
    manager        TEXT    NOT NULL,
    share_percent  BIGINT  NOT NULL CHECK (share_percent BETWEEN 1 AND 100),
    created_at_ms  BIGINT  NOT NULL
);
CREATE INDEX manager_transfers_depositor ON manager_transfers (depositor_id, transferred_on);
