using System.Globalization;
using Observability.TestInfrastructure.Processes;

namespace Observability.LoadTest;

/// <summary>
/// One of the platform's services (Gateway, Worker, WebSocketHub) started from its Release build output as its own
/// process, as a deployment runs it: Production environment, settings as environment variables, ready once it
/// answers <c>/ready</c> (its dependencies reachable, the Gateway's migrations applied).
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ServiceProcess(string name, ServerProcess process, Uri address)
    {
        Name = name;
        _process = process;
        Address = address;
    }

    /// <summary>How the report names it (<c>gateway</c>, <c>worker-1</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Its HTTP address on 127.0.0.1.</summary>
    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines it wrote (for failure messages).</summary>
    public string Output => _process.Output;

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c> on a free loopback port and waits until <c>/ready</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(string name, string dll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var port = LoopbackPort.GetFree();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_URLS"] = address.AbsoluteUri,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        var service = new ServiceProcess(name, ServerProcess.Start("dotnet", [dll], Path.GetDirectoryName(dll)!, environment: environment), address);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            await service._process.WaitUntilReadyAsync(
                async ct =>
                {
                    if (!LoopbackPort.IsListening(port))
                    {
                        return false;
                    }

                    try
                    {
                        using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative), ct).ConfigureAwait(false);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(90),
                name).WaitAsync(cancellationToken).ConfigureAwait(false);
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops it as a platform does (SIGTERM, then a kill after 10 s).</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.StopAsync(NativeMethods.SigTerm, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await _process.DisposeAsync().ConfigureAwait(false);
    }
}
