using System.Globalization;
using System.Reflection;
using Observability.TestInfrastructure.Processes;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>One of the application's services started from its build output, with the environment the AppHost gives it.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly ServerProcess _process;

    private ServiceProcess(string name, ServerProcess process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The service name (<c>OTEL_SERVICE_NAME</c>), as the AppHost names the resource.</summary>
    public string Name { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the service logged, for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>A free loopback address for a service about to start.</summary>
    public static Uri NewAddress() => new($"http://127.0.0.1:{LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Starts <c>Observability.{project}.dll</c> on <paramref name="baseAddress"/> and waits until <c>/alive</c> answers.</summary>
    public static async Task<ServiceProcess> StartAsync(
        string project, string name, Uri baseAddress, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var pattern = typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ServicesOutput").Value!;
        var dll = string.Format(CultureInfo.InvariantCulture, pattern, project);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["OTEL_SERVICE_NAME"] = name,
        };
        foreach (var (key, value) in environment)
        {
            env[key] = value;
        }

        var process = ServerProcess.Start("dotnet", [dll], Path.GetDirectoryName(dll)!, environment: env);
        var service = new ServiceProcess(name, process, baseAddress);
        try
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await process.WaitUntilReadyAsync(
                async ct =>
                {
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellationToken);
                    try
                    {
                        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), linked.Token);
                        return response.IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !linked.IsCancellationRequested))
                    {
                        // Not listening yet, or too busy starting to answer within the client timeout.
                        return false;
                    }
                },
                StartTimeout,
                name);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or an OOM kill would: nothing is acknowledged or released.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill();
        await _process.WaitForExitAsync(cancellationToken);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
