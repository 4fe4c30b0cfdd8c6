using System.Collections;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

// Healthy as soon as it listens, until a test turns health off (and on again) with POST /health/toggle.
var healthy = 1;
app.MapGet("/health", () => Volatile.Read(ref healthy) == 1
    ? Results.Text("Healthy")
    : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
app.MapPost("/health/toggle", () => TypedResults.Ok(Interlocked.Exchange(ref healthy, 1 - Volatile.Read(ref healthy)) == 0));

// Never healthy: for dependents that must keep waiting.
app.MapGet("/never-healthy", () => TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable));

// The environment the host gave this process (the tests check the names Aspire uses).
app.MapGet("/environment", () => TypedResults.Ok(
    Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value)));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Test service {Environment.ProcessId} listening on {string.Join(' ', app.Urls)}"));
app.Run();
