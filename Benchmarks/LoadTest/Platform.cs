using System.Globalization;
using System.Security.Cryptography;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

namespace Observability.LoadTest;

/// <summary>
/// The whole platform on loopback: PostgreSQL 15 and redis-server (started by Tests/TestInfrastructure, as for the
/// tests), then the Gateway, the workers and the WebSocketHub from their Release build outputs as processes of their own.
/// </summary>
internal sealed class Platform : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _started = [];

    private Platform()
    {
    }

    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    /// <summary>The run database's connection string.</summary>
    public string Database { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public IReadOnlyList<ServiceProcess> Workers { get; private set; } = [];

    public ServiceProcess Hub { get; private set; } = null!;

    /// <summary>The hub's <c>/ws</c> address, which the Gateway hands out as <c>eventsUrl</c>.</summary>
    public Uri EventsUrl => new($"ws://{Hub.Address.Authority}/ws");

    public static async Task<Platform> StartAsync(LoadTestOptions options, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            throw new InvalidOperationException("Unset OTEL_EXPORTER_OTLP_ENDPOINT: the load test measures the services without an OTLP receiver.");
        }

        var gatewayDll = Locate("Gateway");
        var workerDll = Locate("Worker");
        var hubDll = Locate("WebSocketHub");
        var platform = new Platform();
        try
        {
            platform.Postgres = await platform.Track(PostgresServer.StartAsync(options.PgStatements > 0 ? PgStatements.ServerSettings : null)).ConfigureAwait(false);
            platform.Redis = await platform.Track(RedisServer.StartAsync()).ConfigureAwait(false);
            platform.Database = await platform.Postgres.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
            if (options.PgStatements > 0)
            {
                await PgStatements.CreateExtensionAsync(platform.Database, cancellationToken).ConfigureAwait(false);
            }
            var signingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            var common = new Dictionary<string, string>
            {
                ["ConnectionStrings__workflows"] = platform.Database,
                ["ConnectionStrings__cache"] = platform.Redis.ConnectionString,
                ["EventTickets__SigningKey"] = signingKey,
            };

            // The hub first: the Gateway hands out its address. The Gateway applies the migrations before it is ready,
            // so the workers start after it.
            platform.Hub = await platform.Track(StartServiceAsync("hub", hubDll, common, cancellationToken)).ConfigureAwait(false);
            platform.Gateway = await platform.Track(StartServiceAsync(
                "gateway",
                gatewayDll,
                new Dictionary<string, string>(common) { ["Gateway__EventsBaseUrl"] = platform.Hub.Address.AbsoluteUri },
                cancellationToken)).ConfigureAwait(false);
            var workers = new List<ServiceProcess>();
            for (var i = 1; i <= options.Workers; i++)
            {
                var name = $"worker-{i.ToString(CultureInfo.InvariantCulture)}";
                workers.Add(await platform.Track(StartServiceAsync(
                    name,
                    workerDll,
                    new Dictionary<string, string>(common)
                    {
                        ["Llm__Simulated__MedianLatency"] = "00:00:00",
                        ["Llm__Simulated__P95Latency"] = "00:00:00",
                        ["Workflows__Worker__Concurrency"] = options.WorkerConcurrency.ToString(CultureInfo.InvariantCulture),
                        ["Workflows__Worker__ConsumerName"] = "load-" + name,
                    },
                    cancellationToken)).ConfigureAwait(false));
            }

            platform.Workers = workers;
            return platform;
        }
        catch
        {
            await platform.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c> on a free loopback port and waits until <c>/ready</c> answers 200 (its dependencies reachable, the Gateway's migrations applied).</summary>
    private static Task<ServiceProcess> StartServiceAsync(string name, string dll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
        => ServiceProcess.StartAsync(name, dll, ServiceProcess.NewAddress(), settings, "/ready", TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);

    /// <summary>Every service process, in report order.</summary>
    public IEnumerable<ServiceProcess> Services => [Gateway, .. Workers, Hub];

    /// <summary>Stops the services first (newest first), then the servers.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<T> Track<T>(Task<T> starting)
        where T : IAsyncDisposable
    {
        var started = await starting.ConfigureAwait(false);
        _started.Add(started);
        return started;
    }

    /// <summary>
    /// A service's build output next to this program's, in the same configuration: artifacts/bin/{project}/release/,
    /// its assembly named like this one (<c>{root namespace}.{project}.dll</c>).
    /// </summary>
    private static string Locate(string project)
    {
        var ownOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var ownName = typeof(Platform).Assembly.GetName().Name!;
        var rootNamespace = ownName[..ownName.LastIndexOf('.')];
        var candidate = Path.Combine(ownOutput.Parent!.Parent!.FullName, project, ownOutput.Name, $"{rootNamespace}.{project}.dll");
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"Build the load test first (dotnet build Benchmarks/LoadTest -c Release builds {project} too).", candidate);
    }
}
