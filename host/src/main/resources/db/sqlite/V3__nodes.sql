-- Hosts and which one watches each task (a SQLite store has one host; the columns keep the
-- engine's code the same for both stores). schema_versions was the hand-rolled migrator's.
DROP TABLE IF EXISTS schema_versions;
CREATE TABLE nodes(
  id TEXT PRIMARY KEY,
  label TEXT,
  api TEXT,
  started_at INTEGER NOT NULL,
  alive_until INTEGER NOT NULL);
ALTER TABLE tasks ADD COLUMN node TEXT;
CREATE INDEX tasks_node ON tasks(node) WHERE state NOT IN ('succeeded','failed','cancelled');
