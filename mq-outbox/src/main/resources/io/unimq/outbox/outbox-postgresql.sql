-- unimq transactional outbox, PostgreSQL. Idempotent: safe to run on every start.
CREATE TABLE IF NOT EXISTS unimq_outbox (
  seq         BIGSERIAL PRIMARY KEY,
  id          VARCHAR(128) NOT NULL,
  topic       VARCHAR(255) NOT NULL,
  msg_key     VARCHAR(255),
  headers     TEXT,
  body        BYTEA,
  deliver_at  TIMESTAMP WITH TIME ZONE,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_at     TIMESTAMP WITH TIME ZONE,
  attempts    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS unimq_outbox_id ON unimq_outbox (id);
CREATE INDEX IF NOT EXISTS unimq_outbox_pending ON unimq_outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS unimq_outbox_pending_key ON unimq_outbox (msg_key, seq) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS unimq_outbox_sent ON unimq_outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS unimq_outbox_position (
  name        VARCHAR(64) PRIMARY KEY,
  position    BIGINT NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO unimq_outbox_position (name, position) VALUES ('sweep', 0) ON CONFLICT (name) DO NOTHING;
