using System.Globalization;
using System.Reflection;
using Observability.TestInfrastructure.Processes;

namespace Observability.Services.Tests;

/// <summary>One of the application's services started from its build output, as a deployment would start it.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ServiceProcess(ServerProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => _process.Output;

    public static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string>? environment = null)
    {
        var pattern = typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ServicesOutput").Value!;
        var dll = string.Format(CultureInfo.InvariantCulture, pattern, project);
        var port = LoopbackPort.GetFree();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["OTEL_SERVICE_NAME"] = project.ToLowerInvariant(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var process = ServerProcess.Start("dotnet", [dll], Path.GetDirectoryName(dll)!, environment: env);
        var service = new ServiceProcess(process, baseAddress);
        try
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
            await process.WaitUntilReadyAsync(
                async ct =>
                {
                    try
                    {
                        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), ct);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                    {
                        // The attempt's own timeout: a process still starting on a busy machine; ask again.
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                project);
        }
        catch
        {
            // A service that never became ready must not outlive the test run.
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>Sends SIGTERM, as a container platform does on stop, and returns the exit code.</summary>
    public async Task<int> TerminateAsync(CancellationToken cancellationToken)
    {
        _process.Signal(NativeMethods.SigTerm);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
