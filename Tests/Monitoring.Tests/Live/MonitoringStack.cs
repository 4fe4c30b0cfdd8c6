using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Observability.Monitoring.Tests.Configuration;
using Observability.TestInfrastructure.Postgres;
using Observability.TestInfrastructure.Processes;
using Observability.TestInfrastructure.Redis;

namespace Observability.Monitoring.Tests.Live;

/// <summary>
/// The application and its monitoring, every part real: its own <c>redis-server</c> and PostgreSQL database, the
/// Gateway, Worker replica(s) and WebSocketHub from their build output, redis_exporter and postgres_exporter, and a
/// Prometheus running monitoring/prometheus with the target files this run writes; optionally an Alertmanager
/// rendered from monitoring/alertmanager whose Slack receiver is a local <see cref="WebhookReceiver"/>.
/// </summary>
internal sealed partial class MonitoringStack : IAsyncDisposable
{
    /// <summary>A fast simulated model with prices, so runs finish in a second and have a cost.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastWorker = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Llm__Simulated__MedianLatency"] = "00:00:00.010",
        ["Llm__Simulated__P95Latency"] = "00:00:00.030",
        ["Llm__Prices__gpt-4o-mini__InputPerMillion"] = "0.15",
        ["Llm__Prices__gpt-4o-mini__OutputPerMillion"] = "0.60",
    };

    private readonly List<ServiceProcess> _workers = [];
    private readonly List<ServerProcess> _servers = [];
    private readonly Dictionary<string, string> _common;
    private readonly TestDirectory _directory;
    private readonly string _prometheusFolder;

    private MonitoringStack(RedisServer redis, string database, TestDirectory directory)
    {
        Redis = redis;
        _directory = directory;
        _prometheusFolder = Path.Combine(directory.Path, "prometheus");
        _common = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings__cache"] = redis.ConnectionString,
            ["ConnectionStrings__workflows"] = database,
            ["EventTickets__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)),
            ["Gateway__RateLimit__TokenLimit"] = "100000",
            ["Gateway__RateLimit__TokensPerPeriod"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public RedisServer Redis { get; }

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess Hub { get; private set; } = null!;

    public IReadOnlyList<ServiceProcess> Workers => _workers;

    public PrometheusApi Api { get; private set; } = null!;

    public WebhookReceiver? Slack { get; private set; }

    /// <summary>Every service's and server's last output, for failure messages.</summary>
    public string Logs => string.Join(
        Environment.NewLine,
        new[] { Gateway, Hub }.Concat(_workers).OfType<ServiceProcess>().Select(s => $"--- {s.Name} {s.Address.Authority}{Environment.NewLine}{s.Output}")
            .Concat(_servers.Select(s => $"--- {s.Id}{Environment.NewLine}{s.Output}")));

    /// <summary>
    /// Starts everything. <paramref name="workers"/> gives each worker replica's settings (over <see cref="FastWorker"/>).
    /// With <paramref name="withAlertmanager"/>, the rules are loaded with their windows scaled down 20 times
    /// (<see cref="ScaleWindows"/>) so an alert fires and resolves within seconds.
    /// </summary>
    public static async Task<MonitoringStack> StartAsync(
        PostgresServer postgres, IReadOnlyList<IReadOnlyDictionary<string, string>> workers, bool withAlertmanager, CancellationToken cancellationToken)
    {
        var redis = await RedisServer.StartAsync();
        var stack = new MonitoringStack(redis, await postgres.CreateDatabaseAsync(cancellationToken), TestDirectory.Create("monitoring"));
        try
        {
            await stack.StartAllAsync(postgres, workers, withAlertmanager);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more worker replica and adds it to Prometheus' targets.</summary>
    public async Task<ServiceProcess> StartWorkerAsync(IReadOnlyDictionary<string, string> settings)
    {
        var env = new Dictionary<string, string>(_common, StringComparer.Ordinal);
        foreach (var (key, value) in FastWorker.Concat(settings))
        {
            env[key] = value;
        }

        var worker = await StartServiceAsync("Worker", "worker", ServiceProcess.NewAddress(), env);
        _workers.Add(worker);
        WriteServiceTargets();
        return worker;
    }

    /// <summary>Stops a worker replica and removes it from the targets, as the AppHost does when a replica goes.</summary>
    public async Task StopWorkerAsync(ServiceProcess worker)
    {
        _workers.Remove(worker);
        WriteServiceTargets();
        await worker.DisposeAsync();
    }

    /// <summary>Rule windows and holds divided by 20 (<c>[5m]</c> → <c>[15s]</c>, <c>for: 5m</c> → <c>for: 15s</c>).</summary>
    public static string ScaleWindows(string rules) =>
        Duration().Replace(rules, m =>
        {
            var seconds = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * (m.Groups[3].Value == "h" ? 3600 : 60) / 20;
            return $"{m.Groups[1].Value}{seconds.ToString(CultureInfo.InvariantCulture)}s{m.Groups[4].Value}";
        });

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        var services = new[] { Gateway, Hub }.Concat(_workers).OfType<ServiceProcess>().ToArray();
        await Task.WhenAll(services.Select(s => s.DisposeAsync().AsTask()).Concat(_servers.Select(s => s.DisposeAsync().AsTask())));
        if (Slack is not null)
        {
            await Slack.DisposeAsync();
        }

        await Redis.DisposeAsync();
        _directory.Delete();
    }

    private async Task StartAllAsync(PostgresServer postgres, IReadOnlyList<IReadOnlyDictionary<string, string>> workers, bool withAlertmanager)
    {
        CopyPrometheusConfiguration(scaleWindows: withAlertmanager);
        var hubAddress = ServiceProcess.NewAddress();
        var gatewayEnv = new Dictionary<string, string>(_common, StringComparer.Ordinal) { ["services__websockethub__http__0"] = hubAddress.ToString().TrimEnd('/') };
        var gateway = StartServiceAsync("Gateway", "gateway", ServiceProcess.NewAddress(), gatewayEnv);
        var hub = StartServiceAsync("WebSocketHub", "websockethub", hubAddress, _common);
        Gateway = await gateway;
        Hub = await hub;
        foreach (var settings in workers)
        {
            await StartWorkerAsync(settings);
        }

        var redisExporter = await StartServerAsync("prometheus-redis-exporter", ["--redis.addr=redis://127.0.0.1:" + Redis.Port.ToString(CultureInfo.InvariantCulture)], null, "/metrics");
        var admin = new NpgsqlConnectionStringBuilder(postgres.AdminConnectionString);
        var postgresExporter = await StartServerAsync("prometheus-postgres-exporter", [], new Dictionary<string, string>
        {
            ["DATA_SOURCE_NAME"] = $"postgresql://{admin.Username}:{Uri.EscapeDataString(admin.Password!)}@127.0.0.1:{admin.Port.ToString(CultureInfo.InvariantCulture)}/postgres?sslmode=disable",
        }, "/metrics");
        WriteTargets("infrastructure", [("redis", [redisExporter]), ("postgres", [postgresExporter])]);

        Uri? alertmanager = null;
        if (withAlertmanager)
        {
            Slack = new WebhookReceiver();
            alertmanager = await StartAlertmanagerAsync(Slack.Url);
            WriteTargets("alertmanager", [("alertmanager", [$"{alertmanager.Host}:{alertmanager.Port.ToString(CultureInfo.InvariantCulture)}"])]);
        }

        var prometheusPort = LoopbackPort.GetFree();
        var prometheus = ServerProcess.Start(
            "prometheus",
            ["--config.file=prometheus.yml", $"--storage.tsdb.path={Path.Combine(_directory.Path, "prometheus-data")}", $"--web.listen-address=127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}"],
            _prometheusFolder);
        _servers.Add(prometheus);
        var prometheusUrl = new Uri($"http://127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}");
        await prometheus.WaitUntilAnswersAsync(new Uri(prometheusUrl, "/-/ready"), TimeSpan.FromSeconds(90), "prometheus");
        WriteTargets("monitoring", [("prometheus", [$"127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}"])]);
        Api = new PrometheusApi(prometheusUrl, alertmanager);
    }

    private void CopyPrometheusConfiguration(bool scaleWindows)
    {
        Directory.CreateDirectory(Path.Combine(_prometheusFolder, "rules"));
        File.Copy(Path.Combine(MonitoringFiles.PrometheusFolder, "prometheus.yml"), Path.Combine(_prometheusFolder, "prometheus.yml"));
        foreach (var file in MonitoringFiles.RuleFiles)
        {
            var text = File.ReadAllText(file);
            File.WriteAllText(Path.Combine(_prometheusFolder, "rules", Path.GetFileName(file)), scaleWindows ? ScaleWindows(text) : text);
        }

        foreach (var folder in (string[])["services", "infrastructure", "monitoring", "alertmanager"])
        {
            Directory.CreateDirectory(Path.Combine(_prometheusFolder, "targets", folder));
        }
    }

    private async Task<string> StartServerAsync(string fileName, string[] arguments, IReadOnlyDictionary<string, string>? environment, string readyPath)
    {
        var port = LoopbackPort.GetFree();
        var address = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var server = ServerProcess.Start(fileName, [.. arguments, $"--web.listen-address={address}"], _directory.Path, environment: environment);
        _servers.Add(server);
        await server.WaitUntilAnswersAsync(new Uri($"http://{address}{readyPath}"), TimeSpan.FromSeconds(90), fileName);
        return address;
    }

    private async Task<Uri> StartAlertmanagerAsync(Uri slack)
    {
        var values = AlertmanagerTemplate.TestValues();
        values["SLACK_WEBHOOK_URL"] = slack.ToString();
        var config = Path.Combine(_directory.Path, "alertmanager.yml");
        await File.WriteAllTextAsync(config, AlertmanagerTemplate.Render(await File.ReadAllTextAsync(MonitoringFiles.AlertmanagerConfig), values));
        var address = await StartServerAsync(
            "prometheus-alertmanager",
            [$"--config.file={config}", $"--storage.path={Path.Combine(_directory.Path, "alertmanager-data")}", "--cluster.listen-address="],
            null,
            "/-/ready");
        return new Uri($"http://{address}");
    }

    /// <summary>
    /// Starts <c>Observability.{project}.dll</c> from its build output on <paramref name="address"/> as the AppHost does,
    /// its service name (<c>OTEL_SERVICE_NAME</c>) being its Prometheus <c>job</c>, and waits until <c>/alive</c> answers.
    /// </summary>
    private static Task<ServiceProcess> StartServiceAsync(string project, string job, Uri address, IReadOnlyDictionary<string, string> environment)
        => ServiceProcess.StartAsync(
            job,
            ServiceProcess.BuildOutput(typeof(MonitoringStack).Assembly, project),
            address,
            new Dictionary<string, string>(environment, StringComparer.Ordinal) { ["OTEL_SERVICE_NAME"] = job },
            "/alive",
            TimeSpan.FromSeconds(90));

    private void WriteServiceTargets() =>
        WriteTargets("services", [("gateway", [Gateway.Address.Authority]), ("websockethub", [Hub.Address.Authority]), ("worker", _workers.Select(w => w.Address.Authority).ToArray())]);

    /// <summary>Writes a file_sd file atomically (write then rename), as Prometheus expects of a file it watches.</summary>
    private void WriteTargets(string folder, IEnumerable<(string Job, string[] Targets)> groups)
    {
        var json = JsonSerializer.Serialize(groups.Where(g => g.Targets.Length > 0).Select(g => new { targets = g.Targets, labels = new { job = g.Job } }));
        var path = Path.Combine(_prometheusFolder, "targets", folder, "run.json");
        File.WriteAllText(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    [GeneratedRegex(@"(\[|for: )(\d+)([mh])(\]|\s)")]
    private static partial Regex Duration();
}
