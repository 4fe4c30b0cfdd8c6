-- wrk script: every request is a new workflow submit (no Idempotency-Key), spread over 100 sessions.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local counter = 0

request = function()
  counter = counter + 1
  local body = string.format(
    '{"task":"Summarise the quarterly report and list three risks (%d)","sessionId":"bench-%d","mode":"auto"}',
    counter, counter % 100)
  return wrk.format(nil, nil, nil, body)
end
