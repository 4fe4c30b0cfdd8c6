# Sourced by pickup.sh and pickup-processes.sh: light load on a running Gateway and what PostgreSQL recorded of it.
# psql must reach the workflows database (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).

# submit_runs URL COUNT INTERVAL SESSION_PREFIX: COUNT workflows, one every INTERVAL seconds, over 10 sessions.
submit_runs() {
  local url=$1 count=$2 interval=$3 prefix=$4 i
  for i in $(seq 1 "$count"); do
    curl -fsS -o /dev/null -X POST "$url/api/workflows" -H 'Content-Type: application/json' \
      -d "{\"task\":\"Summarise the quarterly report and list three risks ($i)\",\"sessionId\":\"$prefix-$((i % 10))\",\"mode\":\"auto\"}"
    sleep "$interval"   # the arrival rate
  done
}

# wait_for_runs SECONDS: until no run is Queued or Running; fails after SECONDS.
wait_for_runs() {
  local deadline=$((SECONDS + $1))
  until [ "$(psql -Atc "SELECT count(*) FROM workflow_runs WHERE status IN ('Queued','Running')")" = 0 ]; do
    ((SECONDS < deadline)) || { echo "runs still unfinished after $1 s" >&2; return 1; }
    sleep 0.5
  done
}

# report_pickup SESSION_PREFIX: submit -> run started (the Gateway's commit to a worker marking the run Running: relay,
# nudge or blocking read, XREADGROUP), split at the outbox row's sent_at, and submit -> first step started (adds the
# planning call), p50 / p99 / max over the runs of sessions SESSION_PREFIX-*, then the three slowest.
report_pickup() {
  local prefix=$1
  psql -At -F ' ' -c "
    WITH r AS (
      SELECT extract(epoch FROM run.started_at - run.created_at) * 1000 AS picked,
             extract(epoch FROM o.sent_at - run.created_at) * 1000 AS relayed,
             extract(epoch FROM run.started_at - o.sent_at) * 1000 AS taken,
             extract(epoch FROM (SELECT min(s.started_at) FROM workflow_steps s WHERE s.run_id = run.id) - run.created_at) * 1000 AS step
      FROM workflow_runs run JOIN outbox_messages o ON (o.payload::jsonb ->> 'runId')::uuid = run.id AND (o.payload::jsonb ->> 'attempt')::int = 1
      WHERE run.session_id LIKE '$prefix-%')
    SELECT count(*),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY picked)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY picked)::numeric, 1), round(max(picked)::numeric, 1),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY relayed)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY relayed)::numeric, 1),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY taken)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY taken)::numeric, 1),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY step)::numeric, 1), round(percentile_cont(0.99) WITHIN GROUP (ORDER BY step)::numeric, 1), round(max(step)::numeric, 1)
    FROM r" | awk '{ printf "%s runs; submit -> run started: p50 %s ms, p99 %s ms, max %s ms (submit -> relayed to the stream: p50 %s, p99 %s ms; relayed -> run started: p50 %s, p99 %s ms); submit -> first step started: p50 %s ms, p99 %s ms, max %s ms\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }'
  psql -At -c "
    SELECT string_agg(format('#%s of %s: %s ms', n, total, round(picked)), ', ' ORDER BY picked DESC)
    FROM (SELECT row_number() OVER (ORDER BY created_at) AS n, count(*) OVER () AS total,
                 extract(epoch FROM started_at - created_at) * 1000 AS picked
          FROM workflow_runs WHERE session_id LIKE '$prefix-%' ORDER BY picked DESC LIMIT 3) slowest" \
    | sed 's/^/slowest pickups (submit order): /'
}
