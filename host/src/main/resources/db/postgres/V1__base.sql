-- Times are milliseconds since the epoch (BIGINT: PostgreSQL's INTEGER is 32-bit); bodies are the
-- host's JSON as text, exactly as SQLite keeps them.
CREATE TABLE tasks(
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  state TEXT NOT NULL,
  provider TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  idem_key TEXT,
  body TEXT NOT NULL,
  confirmed_at BIGINT);
CREATE UNIQUE INDEX tasks_idem ON tasks(owner, idem_key) WHERE idem_key IS NOT NULL;
CREATE INDEX tasks_owner ON tasks(owner, created_at, id);
CREATE INDEX tasks_open ON tasks(state) WHERE state NOT IN ('succeeded','failed','cancelled');
CREATE TABLE health_probe(at BIGINT NOT NULL);
CREATE TABLE events(
  task_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY(task_id, seq));

CREATE TABLE files(
  id TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL);
CREATE TABLE file_owners(
  file_id TEXT,
  owner TEXT,
  PRIMARY KEY(file_id, owner));
-- provider outputs the host copied from a backend's URL: what output retention may remove
CREATE TABLE kept_outputs(
  file_id TEXT PRIMARY KEY,
  kept_at BIGINT NOT NULL);

CREATE TABLE subscriptions(
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  spec TEXT NOT NULL,
  PRIMARY KEY(task_id, kind));
CREATE TABLE deliveries(
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  delivered_at BIGINT,
  last_error TEXT,
  receipt TEXT);
CREATE INDEX deliveries_due ON deliveries(next_at) WHERE state = 'pending';
CREATE INDEX deliveries_task ON deliveries(task_id, event_seq);
