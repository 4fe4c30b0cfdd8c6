using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Worker.Llm;

namespace Observability.Worker.Tests.Llm;

/// <summary>
/// A started generic host wired like the Worker (<c>AddServiceDefaults</c> when asked, then <c>AddLlmProviders</c>)
/// with the given configuration, capturing every log message.
/// </summary>
internal sealed class LlmTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private LlmTestHost(IHost host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
    }

    public IServiceProvider Services => _host.Services;

    public ILlmClient Client => Services.GetRequiredService<ILlmClient>();

    public CapturedLogs Logs { get; }

    public static async Task<LlmTestHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings,
        CancellationToken cancellationToken, bool serviceDefaults = false, TimeProvider? timeProvider = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        if (serviceDefaults)
        {
            builder.AddServiceDefaults();
        }

        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.AddLlmProviders();
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new LlmTestHost(host, logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }
}
