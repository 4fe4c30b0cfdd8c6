namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>The endpoint whose requests per second are compared with ServiceDefaults on and off.</summary>
internal static class TrivialServer
{
    public static async Task<int> RunAsync(bool serviceDefaults)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (serviceDefaults)
        {
            builder.AddServiceDefaults();
        }

        await using var app = builder.Build();
        if (serviceDefaults)
        {
            app.MapDefaultEndpoints();
        }

        app.MapGet("/api/hello/{name}", (string name) => TypedResultsHello(name));
        await app.RunAsync();
        return 0;
    }

    private static string TypedResultsHello(string name) => $"hello {name}";
}
