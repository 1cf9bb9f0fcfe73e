-- SafetyNet: misuse flags raised by the rules over the audit ledger (PostgreSQL), and how far the rule runner has read.
-- body is the flag as JSON (rule, suspect, evidence seqs, summary, acknowledgement); the columns beside it are what the
-- list filters by. raised_at_ms is Unix milliseconds. Every flag is also a misuse-flag entry in the ledger, and every
-- acknowledgement a flag-acknowledged entry: this table is the working list, the ledger the record.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS misuse_flag
(
    flag_id       text   NOT NULL PRIMARY KEY,
    district_code text,
    rule          text   NOT NULL,
    status        text   NOT NULL,
    raised_at_ms  bigint NOT NULL,
    body          text   NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_misuse_flag_district_raised ON misuse_flag (district_code, raised_at_ms);

-- One row (id 1): the last ledger seq whose entries the rules have judged.
CREATE TABLE IF NOT EXISTS misuse_cursor
(
    id       integer NOT NULL PRIMARY KEY CHECK (id = 1),
    last_seq bigint  NOT NULL
);
