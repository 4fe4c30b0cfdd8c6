using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Postgres;
using Observability.Workflows.Messaging;
using StackExchange.Redis;

namespace Observability.Gateway.Tests;

/// <summary>
/// The real Gateway (its Program) in memory (or on Kestrel on a loopback port), on a fresh database of its own and a
/// real Redis.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    public const string EventsBase = "http://hub.test:5100";
    public const string DashboardBase = "http://dashboard.test:18888";

    /// <summary>The event ticket key the host signs with (a test value, not a secret).</summary>
    public const string TicketSigningKey = "gateway-tests-event-ticket-signing-key-0123456789";

    private readonly Factory _factory;

    private GatewayHost(Factory factory, string databaseConnectionString, string redisConnectionString, Uri? kestrelAddress)
    {
        _factory = factory;
        DatabaseConnectionString = databaseConnectionString;
        RedisConnectionString = redisConnectionString;
        Client = kestrelAddress is null ? factory.CreateClient() : new HttpClient { BaseAddress = kestrelAddress };
        Client.Timeout = TimeSpan.FromSeconds(30);
    }

    public HttpClient Client { get; }

    public string DatabaseConnectionString { get; }

    public string RedisConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    public static async Task<GatewayHost> StartAsync(
        PostgresServerFixture postgres,
        string redisConnectionString,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        bool onKestrel = false)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:workflows"] = await postgres.CreateDatabaseAsync(cancellationToken),
            ["ConnectionStrings:cache"] = redisConnectionString,
            ["Gateway:EventsBaseUrl"] = EventsBase,
            ["Gateway:DashboardUrl"] = DashboardBase,
            ["EventTickets:SigningKey"] = TicketSigningKey,
            ["Gateway:RateLimit:TokenLimit"] = "10000",
            ["Gateway:RateLimit:TokensPerPeriod"] = "10000",
            ["Gateway:Outbox:PollInterval"] = "00:00:00.200",
            ["Gateway:Outbox:InitialBackoff"] = "00:00:00.050",
            ["Gateway:Outbox:MaxBackoff"] = "00:00:00.250",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new Factory(all, configureServices);
        Uri? kestrelAddress = null;
        if (onKestrel)
        {
            // The real server with its own limits (header sizes, request line), which the in-memory server does not have,
            // on a port the system picks when it binds (a port probed free first can be taken by then).
            factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            kestrelAddress = new Uri(factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        }

        return new GatewayHost(factory, all["ConnectionStrings:workflows"]!, redisConnectionString, kestrelAddress);
    }

    public Task<HttpResponseMessage> SubmitAsync(object body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(request, cancellationToken);
    }

    /// <summary>Polls the jobs stream until the job of <paramref name="runId"/> is there; fails at the deadline.</summary>
    public async Task<JobEntry> WaitForJobAsync(Guid runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString);
                var entries = await redis.GetDatabase().StreamRangeAsync(WorkflowStreams.Jobs).WaitAsync(cancellationToken);
                foreach (var entry in entries)
                {
                    var message = JsonSerializer.Deserialize((string?)entry[WorkflowStreams.MessageField] ?? "null", WorkflowsJsonContext.Default.WorkflowJobMessage);
                    if (message?.RunId == runId)
                    {
                        return new JobEntry(entry.Id.ToString(), entry.Values.ToDictionary(v => v.Name.ToString(), v => (string?)v.Value, StringComparer.Ordinal));
                    }
                }
            }
            catch (RedisException)
            {
                // Redis is not back yet: poll again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(Dictionary<string, string?> settings, Action<IServiceCollection>? configureServices) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (configureServices is not null)
            {
                builder.ConfigureTestServices(configureServices);
            }
        }
    }
}

/// <summary>A job entry as the relay wrote it: its id and its fields.</summary>
internal sealed record JobEntry(string Id, IReadOnlyDictionary<string, string?> Fields)
{
    public string? this[string name] => Fields.GetValueOrDefault(name);
}
