using System.Collections;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

// Healthy as soon as it listens.
app.MapGet("/health", () => TypedResults.Text("Healthy"));

// Never healthy: for dependents that must keep waiting.
app.MapGet("/never-healthy", () => TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable));

// The environment the host gave this process (the tests check the names Aspire uses).
app.MapGet("/environment", () => TypedResults.Ok(
    Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value)));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Test service {Environment.ProcessId} listening on {string.Join(' ', app.Urls)}"));
app.Run();
