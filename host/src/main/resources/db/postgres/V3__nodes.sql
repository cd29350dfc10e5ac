-- Hosts sharing this database, each with a lease it renews; tasks.node is the host that watches
-- a task. A host whose lease lapsed is taken for dead: others claim its open tasks.
CREATE TABLE nodes(
  id TEXT PRIMARY KEY,
  label TEXT,
  api TEXT,
  started_at BIGINT NOT NULL,
  alive_until BIGINT NOT NULL);
ALTER TABLE tasks ADD COLUMN node TEXT;
CREATE INDEX tasks_node ON tasks(node) WHERE state NOT IN ('succeeded','failed','cancelled');
