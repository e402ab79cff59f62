-- unimq JDBC idempotency store, PostgreSQL. state: P = processing (lease), D = done (TTL).
CREATE TABLE IF NOT EXISTS unimq_idempotency (
  idem_key    VARCHAR(255) PRIMARY KEY,
  state       CHAR(1) NOT NULL,
  owner       VARCHAR(64),
  expires_at  BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS unimq_idempotency_expires ON unimq_idempotency (expires_at);
