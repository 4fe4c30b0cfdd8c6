using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Observability.Workflows.Tickets;
using StackExchange.Redis;

namespace Observability.WebSocketHub.Benchmarks.SignalR;

/// <summary>
/// The peer a .NET team would pick instead of our hub: an ASP.NET Core SignalR hub (shared framework, JSON hub protocol)
/// fed from the same Redis channel. Clients invoke <c>Subscribe(sessionId, ticket)</c> and join the session's group;
/// <see cref="EventsForwarder"/> sends every published event to its session's group as an <c>event</c> invocation.
/// </summary>
internal static class SignalRServer
{
    /// <summary>The first argument that makes this program the SignalR server instead of the benchmark.</summary>
    public const string Command = "signalr-server";

    /// <summary>The hub's path.</summary>
    public const string HubPath = "/events";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var redis = builder.Configuration.GetConnectionString("cache")
            ?? throw new InvalidOperationException("ConnectionStrings:cache is required.");
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        builder.AddEventTickets();
        builder.Services.AddSignalR().AddJsonProtocol(json => json.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, SignalRJsonContext.Default));
        builder.Services.AddSingleton<EventsForwarder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventsForwarder>());

        var app = builder.Build();
        app.MapHub<EventsHub>(HubPath);
        app.MapGet("/ready", (EventsForwarder forwarder) => forwarder.IsSubscribed ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await app.RunAsync().ConfigureAwait(false);
    }
}
