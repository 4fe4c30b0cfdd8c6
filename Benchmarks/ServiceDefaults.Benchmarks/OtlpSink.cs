namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>An OTLP/HTTP receiver that reads each request body whole and answers 200, counting what it got.</summary>
internal static class OtlpSink
{
    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        long requests = 0, bytes = 0;
        app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref bytes, read);
            }

            Interlocked.Increment(ref requests);
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapGet("/stats", () => new { requests = Interlocked.Read(ref requests), bytes = Interlocked.Read(ref bytes) });
        await app.RunAsync();
        return 0;
    }
}
