using System.Globalization;
using System.Reflection;
using Observability.TestInfrastructure.Processes;

namespace Observability.Monitoring.Tests.Live;

/// <summary>One of the application's services started from its build output, with the environment the AppHost gives it.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ServiceProcess(string job, ServerProcess process, Uri baseAddress)
    {
        Job = job;
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The service name, which is also its Prometheus <c>job</c> label.</summary>
    public string Job { get; }

    public Uri BaseAddress { get; }

    /// <summary>The <c>host:port</c> Prometheus scrapes.</summary>
    public string Target => $"{BaseAddress.Host}:{BaseAddress.Port.ToString(CultureInfo.InvariantCulture)}";

    public string Output => _process.Output;

    public static Uri NewAddress() => new($"http://127.0.0.1:{LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture)}");

    public static async Task<ServiceProcess> StartAsync(string project, string job, Uri baseAddress, IReadOnlyDictionary<string, string> environment)
    {
        var pattern = typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServicesOutput").Value!;
        var dll = string.Format(CultureInfo.InvariantCulture, pattern, project);
        var env = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["OTEL_SERVICE_NAME"] = job,
        };
        var process = ServerProcess.Start("dotnet", [dll], Path.GetDirectoryName(dll)!, environment: env);
        var service = new ServiceProcess(job, process, baseAddress);
        try
        {
            await Http.WaitUntilOkAsync(process, new Uri(baseAddress, "/alive"), job);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
