-- Version 2: threshold alerts, and indexes for keyset pagination and the outbox relay.
CREATE TABLE alerts (
    id             uuid PRIMARY KEY,
    run_id         uuid NULL REFERENCES workflow_runs (id) ON DELETE SET NULL,
    kind           text NOT NULL CHECK (kind IN ('WorkflowDuration', 'StepDuration', 'LlmCallDuration', 'CostPerWorkflow', 'ErrorRate')),
    threshold      double precision NOT NULL,
    observed_value double precision NOT NULL,
    created_at     timestamptz NOT NULL
);

CREATE INDEX ix_alerts_created ON alerts (created_at DESC);

-- Pages of a session's runs, newest first: (created_at, id) is the keyset, optionally filtered by status.
DROP INDEX ix_workflow_runs_session_created;
CREATE INDEX ix_workflow_runs_session_keyset ON workflow_runs (session_id, created_at DESC, id DESC);
CREATE INDEX ix_workflow_runs_session_status_keyset ON workflow_runs (session_id, status, created_at DESC, id DESC);

-- The relay reads unsent messages oldest first.
CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (created_at) WHERE sent_at IS NULL;
