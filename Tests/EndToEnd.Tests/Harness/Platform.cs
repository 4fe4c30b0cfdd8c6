using System.Security.Cryptography;
using Observability.TestInfrastructure.Otlp;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>
/// The whole application on real servers: its own <c>redis-server</c>, its own PostgreSQL database, and the Gateway,
/// Worker(s) and WebSocketHub as processes started from their build output with the configuration the AppHost
/// injects (<c>ConnectionStrings__cache</c>, <c>ConnectionStrings__workflows</c>, <c>services__websockethub__http__0</c>,
/// <c>EventTickets__SigningKey</c>, <c>OTEL_*</c>).
/// </summary>
internal sealed class Platform : IAsyncDisposable
{
    /// <summary>
    /// The worker settings every test platform uses: a fast simulated model with prices (so runs have a cost), and a
    /// claim idle time of 5 s checked every 200 ms with 2 deliveries allowed, so a dead consumer's job is claimed
    /// within seconds and a job that fails every delivery is dead-lettered within about 10 s. Shorter idle times let
    /// a worker starved of CPU (this machine is shared) claim its own in-flight job (see the report).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultWorkerSettings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Llm__Simulated__MedianLatency"] = "00:00:00.010",
        ["Llm__Simulated__P95Latency"] = "00:00:00.030",
        ["Llm__Prices__gpt-4o-mini__InputPerMillion"] = "0.15",
        ["Llm__Prices__gpt-4o-mini__OutputPerMillion"] = "0.60",
        ["Workflows__Worker__ClaimIdleTime"] = "00:00:05",
        ["Workflows__Worker__MaintenanceInterval"] = "00:00:00.200",
        ["Workflows__Worker__MaxDeliveries"] = "2",
        ["Workflows__Worker__PollInterval"] = "00:00:01",
    };

    private readonly List<ServiceProcess> _workers = [];
    private readonly Dictionary<string, string> _common;
    private readonly PlatformOptions _options;

    private Platform(RedisServer redis, string database, OtlpCaptureReceiver? otlp, PlatformOptions options)
    {
        Redis = redis;
        DatabaseConnectionString = database;
        Otlp = otlp;
        _options = options;
        _common = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__cache"] = redis.ConnectionString,
            ["ConnectionStrings__workflows"] = database,

            // Every SQL command at Information would push what matters out of the captured output.
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        };
        if (otlp is not null)
        {
            _common["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.GrpcEndpoint.ToString().TrimEnd('/');
            _common["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
            _common["OTEL_BSP_SCHEDULE_DELAY"] = "100";
            _common["OTEL_BLRP_SCHEDULE_DELAY"] = "500";
        }
    }

    public RedisServer Redis { get; }

    public string DatabaseConnectionString { get; }

    /// <summary>The OTLP receiver every service exports to, when <see cref="PlatformOptions.CaptureTelemetry"/>.</summary>
    public OtlpCaptureReceiver? Otlp { get; }

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess? Hub { get; private set; }

    public IReadOnlyList<ServiceProcess> Workers => _workers;

    /// <summary>A client of the gateway's workflow API.</summary>
    public WorkflowsClient Api { get; private set; } = null!;

    /// <summary>The service logs, for failure messages.</summary>
    public string Logs => string.Join(
        Environment.NewLine,
        new[] { Gateway, Hub }.Concat(_workers).OfType<ServiceProcess>().Select(s => $"--- {s.Name}{Environment.NewLine}{s.Output}"));

    public static async Task<Platform> StartAsync(PostgresServer postgres, PlatformOptions options, CancellationToken cancellationToken)
    {
        var redis = await RedisServer.StartAsync(appendOnly: options.RedisAppendOnly);
        Platform? platform = null;
        try
        {
            var database = await postgres.CreateDatabaseAsync(cancellationToken);
            var otlp = options.CaptureTelemetry ? await OtlpCaptureReceiver.StartAsync(cancellationToken) : null;
            platform = new Platform(redis, database, otlp, options);
            await platform.StartServicesAsync(cancellationToken);
            return platform;
        }
        catch
        {
            if (platform is not null)
            {
                await platform.DisposeAsync();
            }
            else
            {
                await redis.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Starts one more worker with <paramref name="settings"/> laid over the platform's worker settings.</summary>
    public async Task<ServiceProcess> StartWorkerAsync(IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, string>(_common, StringComparer.Ordinal);
        foreach (var layer in new[] { DefaultWorkerSettings, _options.WorkerSettings, settings ?? new Dictionary<string, string>() })
        {
            foreach (var (key, value) in layer)
            {
                env[key] = value;
            }
        }

        // The AppHost runs replicas of one "worker" resource: same service name, each its own process and consumer.
        var worker = await StartServiceAsync("Worker", "worker", ServiceProcess.NewAddress(), env, cancellationToken);
        lock (_workers)
        {
            _workers.Add(worker);
        }

        return worker;
    }

    /// <summary>Polls the run until <paramref name="until"/> holds; a timeout reports the services' logs.</summary>
    public async Task<RunDetails> WaitForAsync(Guid runId, Func<RunDetails, bool> until, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Api.WaitForAsync(runId, until, timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{Logs}", e);
        }
    }

    /// <summary>Polls the run until it reaches a final status (Completed, Failed, Cancelled, DeadLettered).</summary>
    public Task<RunDetails> WaitForFinalAsync(Guid runId, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForAsync(runId, run => run.Status is "Completed" or "Failed" or "Cancelled" or "DeadLettered", timeout, cancellationToken);

    /// <summary>A client of the Gateway's HTTP API.</summary>
    public HttpClient CreateGatewayClient() => new() { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        var services = new[] { Gateway, Hub }.Concat(_workers).OfType<ServiceProcess>().ToArray();
        await Task.WhenAll(services.Select(s => s.DisposeAsync().AsTask()));
        if (Otlp is not null)
        {
            await Otlp.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    private async Task StartServicesAsync(CancellationToken cancellationToken)
    {
        var signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(33));
        var hubAddress = ServiceProcess.NewAddress();
        var gatewayEnv = new Dictionary<string, string>(_common, StringComparer.Ordinal)
        {
            ["EventTickets__SigningKey"] = signingKey,

            // Tests poll the API from one address; the per-client token bucket is not what they exercise.
            ["Gateway__RateLimit__TokenLimit"] = "100000",
            ["Gateway__RateLimit__TokensPerPeriod"] = "100000",

            // Retry Redis soon after it returns instead of after a backoff grown to 30 s.
            ["Gateway__Outbox__MaxBackoff"] = "00:00:00.500",
        };
        var hubEnv = new Dictionary<string, string>(_common, StringComparer.Ordinal) { ["EventTickets__SigningKey"] = signingKey };
        if (_options.StartHub)
        {
            gatewayEnv["services__websockethub__http__0"] = hubAddress.ToString().TrimEnd('/');
        }

        var gateway = StartTrackedAsync(StartServiceAsync("Gateway", "gateway", ServiceProcess.NewAddress(), gatewayEnv, cancellationToken), s => Gateway = s);
        var hub = _options.StartHub
            ? StartTrackedAsync(StartServiceAsync("WebSocketHub", "websockethub", hubAddress, hubEnv, cancellationToken), s => Hub = s)
            : Task.CompletedTask;
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => StartWorkerAsync(null, cancellationToken));
        await Task.WhenAll([gateway, hub, .. workers]);
        Api = new WorkflowsClient(CreateGatewayClient());
    }

    /// <summary>
    /// Starts <c>Observability.{project}.dll</c> from its build output on <paramref name="address"/> with the service name
    /// the AppHost gives it (<c>OTEL_SERVICE_NAME</c>) and waits until <c>/alive</c> answers.
    /// </summary>
    private static Task<ServiceProcess> StartServiceAsync(
        string project, string name, Uri address, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["OTEL_SERVICE_NAME"] = name };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        return ServiceProcess.StartAsync(
            name, ServiceProcess.BuildOutput(typeof(Platform).Assembly, project), address, settings, "/alive", TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);
    }

    private static async Task StartTrackedAsync(Task<ServiceProcess> start, Action<ServiceProcess> keep) => keep(await start);
}
