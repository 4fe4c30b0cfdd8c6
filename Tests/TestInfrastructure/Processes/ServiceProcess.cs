using System.Globalization;
using System.Reflection;

namespace Observability.TestInfrastructure.Processes;

/// <summary>
/// One of our services (Gateway, Worker, WebSocketHub) started from its build output with <c>dotnet</c>, as a deployment
/// runs it: its output folder as content root, Production environment, settings as environment variables, output
/// captured for failure messages; stopped with SIGTERM, killed 10 s later. The shell's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is not passed on: the caller's settings decide where telemetry goes.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private ServiceProcess(string name, ServerProcess process, Uri address) => (Name, _process, Address) = (name, process, address);

    /// <summary>How messages name it (<c>gateway</c>, <c>worker-1</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Its HTTP address on 127.0.0.1 (<c>ASPNETCORE_URLS</c>).</summary>
    public Uri Address { get; }

    /// <summary>The operating-system process id (<c>dotnet</c> itself: no shell in between).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines it wrote to stdout and stderr.</summary>
    public string Output => _process.Output;

    /// <summary>A free loopback address for a service about to start (when others must know it first).</summary>
    public static Uri NewAddress() => new($"http://127.0.0.1:{LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Where <c>Observability.{project}.dll</c> is built, by the pattern in <paramref name="assembly"/>'s <c>ServicesOutput</c>
    /// metadata (a test project sets it in its csproj: <c>$(ArtifactsPath)/bin/{0}/release/Observability.{0}.dll</c>).
    /// </summary>
    public static string BuildOutput(Assembly assembly, string project)
    {
        var pattern = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServicesOutput").Value!;
        return string.Format(CultureInfo.InvariantCulture, pattern, project);
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c> listening on <paramref name="address"/>
    /// with <paramref name="environment"/> (which may override the Production defaults), without waiting for it.
    /// Each line it writes is kept for <see cref="Output"/> and, when given, passed to <paramref name="onOutputLine"/> on the reader thread.
    /// </summary>
    public static ServiceProcess Start(
        string name,
        string dll,
        Uri address,
        IReadOnlyDictionary<string, string> environment,
        IEnumerable<string>? arguments = null,
        Action<string>? onOutputLine = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = address.GetLeftPart(UriPartial.Authority),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        var process = ServerProcess.Start(
            "dotnet",
            [dll, .. arguments ?? []],
            Path.GetDirectoryName(Path.GetFullPath(dll))!,
            environment: settings,
            notInherited: ["OTEL_EXPORTER_OTLP_ENDPOINT"],
            onOutputLine: onOutputLine);
        return new ServiceProcess(name, process, address);
    }

    /// <summary>Starts the service as <see cref="Start"/> does and waits until <paramref name="readyPath"/> answers 2xx; stops it if it never does.</summary>
    public static async Task<ServiceProcess> StartAsync(
        string name,
        string dll,
        Uri address,
        IReadOnlyDictionary<string, string> environment,
        string readyPath,
        TimeSpan timeout,
        IEnumerable<string>? arguments = null,
        CancellationToken cancellationToken = default)
    {
        var service = Start(name, dll, address, environment, arguments);
        try
        {
            await service.WaitUntilAnswersAsync(readyPath, timeout, cancellationToken).ConfigureAwait(false);
            return service;
        }
        catch
        {
            // A service that never became ready must not outlive its caller.
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Polls <c>GET <paramref name="path"/></c> until it answers 2xx; throws once the process exits or <paramref name="timeout"/> passes.</summary>
    public Task WaitUntilAnswersAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
        => _process.WaitUntilAnswersAsync(new Uri(Address, path), timeout, Name, cancellationToken);

    /// <summary>Sends a signal (e.g. SIGTERM, as a container platform does on stop).</summary>
    public void Signal(int signal) => _process.Signal(signal);

    /// <summary>Kills it at once (SIGKILL), as a crash or an OOM kill would (nothing acknowledged or released), and waits until it has exited.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _process.Kill();
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the process has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Stops it as a platform does: SIGTERM, then a kill after 10 s.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
