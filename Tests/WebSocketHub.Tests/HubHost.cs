using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Observability.WebSocketHub.Connections;
using Observability.Workflows.Messaging;
using Observability.Workflows.Tickets;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Tests;

/// <summary>The real hub (its Program) on Kestrel on a loopback port, on the real Redis and PostgreSQL.</summary>
internal sealed class HubHost : IAsyncDisposable
{
    /// <summary>A 44-character test key (the same for every instance, as the AppHost gives every instance one key).</summary>
    public const string SigningKey = "websockethub-tests-signing-key-0123456789abc";

    private readonly Factory _factory;

    private HubHost(Factory factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
        Redis = factory.Services.GetRequiredService<IConnectionMultiplexer>();
        Events = new WorkflowEventLog(Redis);
        Tickets = factory.Services.GetRequiredService<EventTicketSigner>();
    }

    public Uri BaseAddress { get; }

    public Uri WebSocketUri => new($"ws://{BaseAddress.Authority}{EventsHubEndpoint.Path}");

    public IServiceProvider Services => _factory.Services;

    public IConnectionMultiplexer Redis { get; }

    public WorkflowEventLog Events { get; }

    public EventTicketSigner Tickets { get; }

    /// <summary>
    /// Starts the hub; with <paramref name="timeProvider"/>, the hub's clock and timers are that one (e.g. a
    /// <c>FakeTimeProvider</c> the test advances) instead of the system's.
    /// </summary>
    public static HubHost Start(
        string redisConnectionString, string databaseConnectionString, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redisConnectionString,
            ["ConnectionStrings:workflows"] = databaseConnectionString,
            ["EventTickets:SigningKey"] = SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new Factory(all, timeProvider);
        // A port the system picks when it binds (a port probed free first can be taken by a parallel test by then).
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HubHost(factory, new Uri(address));
    }

    public Task<HubClient> ConnectAsync(CancellationToken cancellationToken) => HubClient.ConnectAsync(WebSocketUri, cancellationToken);

    /// <summary>Appends one event of <paramref name="runId"/> through the shared event log, as the Worker does.</summary>
    public Task<PublishedWorkflowEvent> AppendAsync(string sessionId, Guid runId, long sequence, CancellationToken cancellationToken, string? traceParent = null, int payloadBytes = 0) =>
        Events.AppendAsync(sessionId, TestEvents.Create(runId, sequence, payloadBytes), traceParent, cancellationToken);

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class Factory(Dictionary<string, string?> settings, TimeProvider? timeProvider) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (timeProvider is not null)
            {
                builder.ConfigureTestServices(services =>
                {
                    services.RemoveAll<TimeProvider>();
                    services.AddSingleton(timeProvider);
                });
            }
        }
    }
}
