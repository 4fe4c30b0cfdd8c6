using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Observability.TestInfrastructure.Processes;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Workflows.Tests.Messaging;

/// <summary>
/// <c>AddWorkflowsRedis</c> (Aspire's <c>AddRedisClient</c>) against a real redis-server that only speaks TLS and only
/// knows an ACL user: the connection string carries both, the event log works over it with 10 MB values, and the
/// integration's health check counts for readiness.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkflowsRedisTests : IAsyncLifetime
{
    private const string User = "workflows";
    private const string Password = "workflows-password";
    private readonly TestDirectory _directory = TestDirectory.Create("redis-tls");
    private ServerProcess? _server;
    private string _caFile = string.Empty;
    private int _port;

    public async ValueTask InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _caFile = Path.Combine(_directory.Path, "cert.pem");
        var keyFile = Path.Combine(_directory.Path, "key.pem");
        await File.WriteAllTextAsync(_caFile, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

        _port = LoopbackPort.GetFree();
        _server = ServerProcess.Start(
            "redis-server",
            [
                "--port", "0", "--tls-port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--tls-cert-file", _caFile, "--tls-key-file", keyFile, "--tls-ca-cert-file", _caFile, "--tls-auth-clients", "no",
                "--save", "", "--appendonly", "no", "--dir", _directory.Path,
                "--user", "default", "off",
                "--user", User, "on", ">" + Password, "~*", "&*", "+@all",
            ],
            _directory.Path);
        _directory.RecordServer(_server.Id);
        await _server.WaitUntilReadyAsync(_ => Task.FromResult(LoopbackPort.IsListening(_port)), TimeSpan.FromSeconds(20), "redis-server (TLS)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory.Delete();
    }

    [Fact]
    public async Task AddWorkflowsRedis_TlsAndAclUserInConnectionString_EventLogWorksAndReadinessIsHealthy()
    {
        using var timeout = TestTimeout.Start(60);
        // The client's 5-s command timeout raised to the test's own limit: a 10 MiB EVAL is correct but slow on a busy machine.
        using var host = BuildHost($"localhost:{_port},ssl=true,user={User},password={Password},asyncTimeout=60000");
        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
        await ConnectedAsync(redis, timeout.Token);
        var runId = Guid.NewGuid();
        var text = new string('y', 10 * 1024 * 1024);

        var published = await new WorkflowEventLog(redis).AppendAsync(
            "tls-session",
            new WorkflowEvent(Guid.CreateVersion7(), runId, 1, WorkflowEventType.LlmCall, DateTimeOffset.UtcNow, JsonSerializer.SerializeToElement(new { text })),
            null,
            timeout.Token);

        var entry = Assert.Single(await redis.GetDatabase().StreamRangeAsync(WorkflowStreams.Events(runId)));
        Assert.Equal(published.RunStreamId, entry.Id.ToString());
        var stored = JsonSerializer.Deserialize((string)entry[WorkflowStreams.EventField]!, WorkflowsJsonContext.Default.WorkflowEvent);
        Assert.Equal(text, stored!.Payload!.Value.GetProperty("text").GetString());
        Assert.Equal(User, (string?)await redis.GetDatabase().ExecuteAsync("ACL", "WHOAMI"));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), timeout.Token);
        var check = Assert.Single(report.Entries, e => e.Key == WorkflowsRedisExtensions.HealthCheckName);
        Assert.Equal(HealthStatus.Healthy, check.Value.Status);
    }

    [Fact]
    public async Task AddWorkflowsRedis_ServerDown_ReadinessIsUnhealthy()
    {
        using var timeout = TestTimeout.Start(60);
        // Short command timeouts, so each health check answers within a second once the server is gone; the connection
        // (TLS handshake and AUTH, which take longer than that on a busy machine) is awaited before, not pinged for.
        using var host = BuildHost($"localhost:{_port},ssl=true,user={User},password={Password},syncTimeout=1000,asyncTimeout=1000");
        await ConnectedAsync(host.Services.GetRequiredService<IConnectionMultiplexer>(), timeout.Token);

        await _server!.DisposeAsync();
        _server = null;

        var health = host.Services.GetRequiredService<HealthCheckService>();
        while ((await health.CheckHealthAsync(r => r.Tags.Contains("ready"), timeout.Token)).Status != HealthStatus.Unhealthy)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    [Fact]
    public async Task AddWorkflowsRedis_WrongPassword_CommandsFailNamingTheEndpoint()
    {
        using var timeout = TestTimeout.Start(60);
        using var host = BuildHost($"localhost:{_port},ssl=true,user={User},password=wrong,connectTimeout=1000,asyncTimeout=1000");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().PingAsync());

        Assert.True(error is RedisConnectionException or RedisTimeoutException, error.ToString());
        Assert.Contains(_port.ToString(CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Completes once the multiplexer is connected: <c>AddWorkflowsRedis</c> does not abort on a failed first connect,
    /// so the multiplexer is handed out at once and connects (again) in the background.
    /// </summary>
    private static async Task ConnectedAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRestored(object? sender, ConnectionFailedEventArgs e) => connected.TrySetResult();
        redis.ConnectionRestored += OnRestored;
        try
        {
            if (!redis.IsConnected)
            {
                await connected.Task.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            redis.ConnectionRestored -= OnRestored;
        }
    }

    private IHost BuildHost(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:cache"] = connectionString });
        builder.AddWorkflowsRedis("cache");

        // The test's own certificate authority (a deployment trusts its CA through the machine's store instead).
        builder.Services.Configure<ConfigurationOptions>(options => options.TrustIssuer(_caFile));
        return builder.Build();
    }
}
