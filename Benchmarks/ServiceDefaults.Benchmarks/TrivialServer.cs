namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>
/// The endpoints whose requests per second and CPU per request are compared (load.sh): <c>off</c> has no telemetry,
/// <c>stock</c> is Aspire's ServiceDefaults template (<see cref="StockServiceDefaults"/>), <c>on</c> is ours
/// (<c>AddServiceDefaults()</c> + <c>MapDefaultEndpoints()</c>). Besides the trivial <c>GET /api/hello/{name}</c>,
/// <c>POST /api/echo</c> reads a small JSON body and answers 202 with a location and a log line, the shape of a
/// submit without its database.
/// </summary>
internal static partial class TrivialServer
{
    public static async Task<int> RunAsync(string mode)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _ = mode switch
        {
            "on" => builder.AddServiceDefaults(),
            "stock" => builder.AddStockServiceDefaults(),
            "off" => builder,
            _ => throw new ArgumentException($"Unknown mode '{mode}': on, stock or off.", nameof(mode)),
        };

        await using var app = builder.Build();
        _ = mode switch
        {
            "on" => app.MapDefaultEndpoints(),
            "stock" => app.MapStockDefaultEndpoints(),
            _ => app,
        };

        app.MapGet("/api/hello/{name}", (string name) => $"hello {name}");
        app.MapPost("/api/echo", async (HttpRequest request, ILogger<Submission> logger) =>
        {
            var submission = await request.ReadFromJsonAsync(BenchmarkJsonContext.Default.Submission);
            var id = Guid.NewGuid().ToString("N");
            LogAccepted(logger, id, submission?.Name ?? string.Empty);
            return Results.Accepted($"/api/echo/{id}");
        });
        await app.RunAsync();
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Submission {Id} accepted for {Name}")]
    private static partial void LogAccepted(ILogger logger, string id, string name);
}
