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
    private readonly ServiceProcess _process;

    private ServerUnderTest(ServiceProcess process) => _process = process;

    public int ProcessId => _process.ProcessId;

    public Uri BaseUri => new UriBuilder(_process.Address) { Scheme = "ws" }.Uri;

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
        var environment = new Dictionary<string, string>(settings)
        {
            ["ConnectionStrings__cache"] = redisConnectionString,
            ["EventTickets__SigningKey"] = signingKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        return new ServerUnderTest(await ServiceProcess.StartAsync(
            what, dll, ServiceProcess.NewAddress(), environment, "/ready", TimeSpan.FromSeconds(60), arguments: arguments).ConfigureAwait(false));
    }
}
