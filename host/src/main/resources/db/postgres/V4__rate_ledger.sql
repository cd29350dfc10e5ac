-- The rate ledger: one row per line (provider account + rate bucket) for each call slot a node was
-- granted. All times are the database's clock in epoch milliseconds (BIGINT: INTEGER is 32-bit).
--   at:    the grant's time plus its validity, the latest moment the call may reach the backend,
--          so a slot is never freed before the backend's own window lets go of the call;
--   until: at plus the line's window, when the row stops counting anywhere (for the sweep).
-- A grant held by several lines (a call under a per-minute and a per-hour bucket) has one
-- grant_id and one row per line, so it is given back, unused, with one delete.
CREATE SEQUENCE rate_grant_ids;

CREATE TABLE rate_ledger (
  line     TEXT   NOT NULL,
  grant_id BIGINT NOT NULL,
  at       BIGINT NOT NULL,
  until    BIGINT NOT NULL,
  PRIMARY KEY (line, grant_id)
);

CREATE INDEX rate_ledger_line_at ON rate_ledger (line, at);
CREATE INDEX rate_ledger_grant ON rate_ledger (grant_id);
CREATE INDEX rate_ledger_until ON rate_ledger (until);
