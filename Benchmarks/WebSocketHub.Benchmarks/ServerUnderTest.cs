using System.Globalization;
using System.Reflection;
using Observability.TestInfrastructure.Processes;
using Observability.WebSocketHub.Benchmarks.SignalR;

namespace Observability.WebSocketHub.Benchmarks;

/// <summary>
/// A WebSocket server under test started as its own process, so its CPU time and memory are its own: our hub from its
/// Release build output as a deployment runs it, or the SignalR peer (<see cref="SignalRServer"/>) from this program.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ServerUnderTest(ServerProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri BaseUri => new($"ws://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Our WebSocketHub (Production environment, the settings the AppHost injects).</summary>
    public static Task<ServerUnderTest> StartHubAsync(string redisConnectionString, string signingKey, string databaseConnectionString)
    {
        var dll = typeof(ServerUnderTest).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HubOutput").Value!;
        return StartAsync(dll, [], redisConnectionString, signingKey, new Dictionary<string, string> { ["ConnectionStrings__workflows"] = databaseConnectionString }, "WebSocketHub");
    }

    /// <summary>
    /// The SignalR peer: this program run as <c>signalr-server</c>, with the server garbage collector that the Web SDK
    /// gives our hub, so both servers run on the same runtime settings.
    /// </summary>
    public static Task<ServerUnderTest> StartSignalRAsync(string redisConnectionString, string signingKey)
        => StartAsync(
            typeof(ServerUnderTest).Assembly.Location,
            [SignalRServer.Command],
            redisConnectionString,
            signingKey,
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" },
            "SignalR server");

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<ServerUnderTest> StartAsync(
        string dll, string[] arguments, string redisConnectionString, string signingKey, Dictionary<string, string> settings, string what)
    {
        var port = LoopbackPort.GetFree();
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__cache"] = redisConnectionString,
            ["EventTickets__SigningKey"] = signingKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var process = ServerProcess.Start("dotnet", [dll, .. arguments], Path.GetDirectoryName(dll)!, environment: environment);
        var server = new ServerUnderTest(process, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(2) };
        try
        {
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
                what).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }
}
