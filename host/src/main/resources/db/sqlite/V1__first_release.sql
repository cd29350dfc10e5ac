-- The schema as hosts made it before Flyway (each table IF NOT EXISTS): a file from such a host
-- is baselined at version 0 and runs this too, which adds only what it lacks.
CREATE TABLE IF NOT EXISTS tasks(
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  state TEXT NOT NULL,
  provider TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  idem_key TEXT,
  body TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS tasks_idem ON tasks(owner, idem_key) WHERE idem_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_owner ON tasks(owner, created_at, id);
CREATE INDEX IF NOT EXISTS tasks_open ON tasks(state) WHERE state NOT IN ('succeeded','failed','cancelled');
CREATE TABLE IF NOT EXISTS health_probe(at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  task_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY(task_id, seq)) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS files(
  id TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS file_owners(
  file_id TEXT,
  owner TEXT,
  PRIMARY KEY(file_id, owner)) WITHOUT ROWID;
-- provider outputs the host copied from a backend's URL: what output retention may remove
CREATE TABLE IF NOT EXISTS kept_outputs(
  file_id TEXT PRIMARY KEY,
  kept_at INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS subscriptions(
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  spec TEXT NOT NULL,
  PRIMARY KEY(task_id, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deliveries(
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT,
  receipt TEXT);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(next_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS deliveries_task ON deliveries(task_id, event_seq);
