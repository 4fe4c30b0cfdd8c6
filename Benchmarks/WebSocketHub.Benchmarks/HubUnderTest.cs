using System.Globalization;
using System.Reflection;
using Observability.TestInfrastructure.Processes;

namespace Observability.WebSocketHub.Benchmarks;

/// <summary>The hub started from its Release build output as its own process, as a deployment runs it.</summary>
internal sealed class HubUnderTest : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private HubUnderTest(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/ws");

    public static async Task<HubUnderTest> StartAsync(string redisConnectionString, string signingKey, IReadOnlyDictionary<string, string> settings)
    {
        var dll = typeof(HubUnderTest).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HubOutput").Value!;
        var port = LoopbackPort.GetFree();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__cache"] = redisConnectionString,
            ["EventTickets__SigningKey"] = signingKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = ServerProcess.Start("dotnet", [dll], Path.GetDirectoryName(dll)!, environment: environment);
        var hub = new HubUnderTest(process, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(2) };
        await process.WaitUntilReadyAsync(
            async ct =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri("/ready", UriKind.Relative), ct).ConfigureAwait(false);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "WebSocketHub").ConfigureAwait(false);
        return hub;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
