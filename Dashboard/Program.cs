using Observability.Dashboard.Apis;
using Observability.Dashboard.Authentication;
using Observability.Dashboard.Configuration;
using Observability.Dashboard.Otlp;
using Observability.Dashboard.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.AddDashboardOptions();          // Configuration/: Dashboard:* sections, validated at start
builder.AddDashboardAuthentication();   // Authentication/: OTLP API key, browser token -> cookie
builder.AddTelemetryStorage();          // Storage/: bounded stores, journal replayed at start
builder.AddOtlpReceivers();             // Otlp/: decoders, export limits, browser CORS

var app = builder.Build();

app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapOtlpHttpApi();                   // POST /v1/traces|metrics|logs
app.MapOtlpGrpcApi();                   // gRPC Export on the standard OTLP service paths
app.MapLoginApi();                      // GET /login?t=TOKEN
app.MapResourcesApi().RequireBrowser(); // /api/resources, clear per resource or all
app.MapTracesApi().RequireBrowser();    // /api/traces, /api/traces/{traceId}
app.MapLogsApi().RequireBrowser();      // /api/logs
app.MapMetricsApi().RequireBrowser();   // /api/metrics/{resourceId}[/{name}]
app.MapStreamApi().RequireBrowser();    // /api/stream (server-sent events)
app.MapExportApi().RequireBrowser();    // /api/export/{signal}, /api/import/{signal} (OTLP/JSON)

app.Run();
