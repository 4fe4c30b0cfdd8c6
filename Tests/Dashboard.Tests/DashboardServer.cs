using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Observability.TestInfrastructure.Processes;

namespace Observability.Dashboard.Tests;

/// <summary>
/// The real dashboard (its Program) on Kestrel: one HTTP/1.1 port for OTLP/HTTP and the query API, one
/// cleartext HTTP/2 port for OTLP/gRPC, both on free loopback ports.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    public const string PrimaryKey = "primary-key-for-tests";
    public const string SecondaryKey = "secondary-key-for-tests";
    public const string BrowserToken = "browser-token-for-tests";

    private readonly Factory _factory;

    private DashboardServer(Factory factory, int httpPort, int grpcPort)
    {
        _factory = factory;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    public static DashboardServer Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Dashboard:Otlp:PrimaryApiKey"] = PrimaryKey,
            ["Dashboard:Otlp:SecondaryApiKey"] = SecondaryKey,
            ["Dashboard:Frontend:BrowserToken"] = BrowserToken,
            ["Logging:LogLevel:Default"] = "Warning",

            // Memory only unless a test persists on purpose: tests must not share the default data directory.
            ["Dashboard:Storage:DataDirectory"] = "",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var httpPort = LoopbackPort.GetFree();
        var grpcPort = LoopbackPort.GetFree();
        var factory = new Factory(all);
        factory.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, httpPort);
            options.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        factory.StartServer();
        return new DashboardServer(factory, httpPort, grpcPort);
    }

    public T GetService<T>()
        where T : notnull => _factory.Services.GetRequiredService<T>();

    /// <summary>A client for OTLP/HTTP with the primary API key.</summary>
    public HttpClient CreateOtlpClient(string? apiKey = PrimaryKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-otlp-api-key", apiKey);
        }

        return client;
    }

    /// <summary>A client for the query API, logged in through the browser token.</summary>
    public async Task<HttpClient> CreateApiClientAsync(CancellationToken cancellationToken)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await client.GetAsync($"/login?t={BrowserToken}", cancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed class Factory(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
