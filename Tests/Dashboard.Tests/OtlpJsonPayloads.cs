namespace Observability.Dashboard.Tests;

/// <summary>OTLP/JSON requests written from the specification's JSON mapping (hex ids, 64-bit integers as strings, enums as numbers).</summary>
internal static class OtlpJsonPayloads
{
    public const string TraceId = "5b8efff798038103d269b633813fc60c";
    public const string RootSpanId = "eee19b7ec3c1b174";
    public const string ChildSpanId = "eee19b7ec3c1b175";

    public const string Traces = """
        {
          "resourceSpans": [{
            "resource": { "attributes": [
              { "key": "service.name", "value": { "stringValue": "json-service" } },
              { "key": "service.instance.id", "value": { "stringValue": "json-1" } } ] },
            "scopeSpans": [{
              "scope": { "name": "json.scope", "version": "1.0.0" },
              "spans": [
                {
                  "traceId": "5b8efff798038103d269b633813fc60c",
                  "spanId": "eee19b7ec3c1b174",
                  "name": "POST /checkout",
                  "kind": 2,
                  "startTimeUnixNano": "1700000000000000000",
                  "endTimeUnixNano": "1700000002000000000",
                  "attributes": [
                    { "key": "http.request.method", "value": { "stringValue": "POST" } },
                    { "key": "retries", "value": { "intValue": "3" } },
                    { "key": "ratio", "value": { "doubleValue": 0.5 } },
                    { "key": "cached", "value": { "boolValue": true } },
                    { "key": "tags", "value": { "arrayValue": { "values": [ { "stringValue": "a" }, { "intValue": 2 } ] } } },
                    { "key": "map", "value": { "kvlistValue": { "values": [ { "key": "k", "value": { "stringValue": "v" } } ] } } },
                    { "key": "raw", "value": { "bytesValue": "AQID" } }
                  ],
                  "status": { "code": 2, "message": "payment failed" }
                },
                {
                  "traceId": "5b8efff798038103d269b633813fc60c",
                  "spanId": "eee19b7ec3c1b175",
                  "parentSpanId": "eee19b7ec3c1b174",
                  "name": "charge card",
                  "kind": 3,
                  "startTimeUnixNano": "1700000000500000000",
                  "endTimeUnixNano": "1700000001500000000",
                  "events": [ { "timeUnixNano": "1700000001000000000", "name": "retry", "attributes": [ { "key": "attempt", "value": { "intValue": "2" } } ] } ],
                  "links": [ { "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331" } ]
                },
                { "traceId": "not-hex", "spanId": "eee19b7ec3c1b176", "name": "rejected" }
              ]
            }]
          }]
        }
        """;

    public const string Logs = """
        {
          "resourceLogs": [{
            "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "json-service" } } ] },
            "scopeLogs": [{
              "scope": { "name": "json.logger" },
              "logRecords": [
                {
                  "timeUnixNano": "1700000001000000000",
                  "observedTimeUnixNano": "1700000001000000001",
                  "severityNumber": 17,
                  "severityText": "ERROR",
                  "body": { "stringValue": "Payment provider timed out" },
                  "attributes": [ { "key": "provider", "value": { "stringValue": "acme" } } ],
                  "traceId": "5b8efff798038103d269b633813fc60c",
                  "spanId": "eee19b7ec3c1b175"
                },
                { "timeUnixNano": "1700000002000000000", "severityNumber": 9, "body": { "stringValue": "Order accepted" } }
              ]
            }]
          }]
        }
        """;

    public const string Metrics = """
        {
          "resourceMetrics": [{
            "resource": { "attributes": [ { "key": "service.name", "value": { "stringValue": "json-service" } } ] },
            "scopeMetrics": [{
              "scope": { "name": "json.meter" },
              "metrics": [
                {
                  "name": "requests", "unit": "{request}",
                  "sum": { "aggregationTemporality": 2, "isMonotonic": true, "dataPoints": [
                    { "startTimeUnixNano": "1700000000000000000", "timeUnixNano": "1700000010000000000", "asInt": "10",
                      "attributes": [ { "key": "route", "value": { "stringValue": "/a" } } ] },
                    { "startTimeUnixNano": "1700000000000000000", "timeUnixNano": "1700000020000000000", "asInt": "30",
                      "attributes": [ { "key": "route", "value": { "stringValue": "/a" } } ] } ] }
                },
                {
                  "name": "temperature", "unit": "Cel",
                  "gauge": { "dataPoints": [ { "timeUnixNano": "1700000010000000000", "asDouble": 21.5 } ] }
                },
                {
                  "name": "latency", "unit": "ms",
                  "histogram": { "aggregationTemporality": 1, "dataPoints": [ {
                    "startTimeUnixNano": "1700000000000000000", "timeUnixNano": "1700000010000000000",
                    "count": "100", "sum": 5000, "min": 1, "max": 100,
                    "bucketCounts": [ "10", "40", "50" ], "explicitBounds": [ 10, 50 ],
                    "exemplars": [ { "timeUnixNano": "1700000005000000000", "asDouble": 42, "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b175" } ] } ] }
                },
                {
                  "name": "size", "unit": "By",
                  "exponentialHistogram": { "aggregationTemporality": 1, "dataPoints": [ {
                    "timeUnixNano": "1700000010000000000", "count": "4", "sum": 20, "scale": 0, "zeroCount": "0",
                    "positive": { "offset": 1, "bucketCounts": [ "1", "1", "2" ] } } ] }
                },
                { "name": "no-data" }
              ]
            }]
          }]
        }
        """;
}
