-- Version 1: workflow runs, their steps and the transactional outbox.
CREATE TABLE workflow_runs (
    id                 uuid PRIMARY KEY,
    session_id         text NOT NULL,
    task               text NOT NULL CHECK (octet_length(task) <= 32768),
    agent              text NULL,
    model              text NULL,
    mode               text NULL,
    status             text NOT NULL CHECK (status IN ('Queued', 'Running', 'Completed', 'Failed', 'Cancelled', 'DeadLettered')),
    idempotency_key    text NULL,
    request_hash       text NULL,
    trace_id           text NULL CHECK (trace_id ~ '^[0-9a-f]{32}$'),
    correlation_id     text NULL,
    plan               jsonb NULL,
    quality_score      double precision NULL,
    input_tokens       bigint NOT NULL DEFAULT 0,
    output_tokens      bigint NOT NULL DEFAULT 0,
    cost               numeric(18, 6) NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz NULL,
    completed_at       timestamptz NULL,
    attempt_count      integer NOT NULL DEFAULT 0,
    dead_letter_reason text NULL,
    CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);

CREATE UNIQUE INDEX ux_workflow_runs_idempotency_key ON workflow_runs (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_workflow_runs_session_created ON workflow_runs (session_id, created_at);

CREATE TABLE workflow_steps (
    run_id        uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    step_key      text NOT NULL,
    agent         text NULL,
    explanation   text NULL,
    status        text NOT NULL CHECK (status IN ('Pending', 'Running', 'Completed', 'Failed', 'Skipped')),
    input_tokens  bigint NOT NULL DEFAULT 0,
    output_tokens bigint NOT NULL DEFAULT 0,
    cost          numeric(18, 6) NOT NULL DEFAULT 0,
    started_at    timestamptz NULL,
    completed_at  timestamptz NULL,
    error         text NULL,
    PRIMARY KEY (run_id, step_key)
);

CREATE TABLE outbox_messages (
    id          uuid PRIMARY KEY,
    stream      text NOT NULL,
    payload     jsonb NOT NULL,
    traceparent text NULL,
    baggage     text NULL,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz NULL,
    attempts    integer NOT NULL DEFAULT 0
);
