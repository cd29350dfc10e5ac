-- The outbox's tables as they are before V5, in PostgreSQL's dialect (BIGINT times), for the
-- claim tests until the lead's Flyway V1 holds them; V5 (db/postgres/) is applied after this.
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
