using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Observability.TestInfrastructure.Processes;

namespace Observability.AppHost.Tests;

/// <summary>
/// The built AppHost started as a user starts it (dashboard on, http launch-profile environment on free ports), with
/// the local servers and a temporary data directory: its output, its dashboard login link, and every process it
/// caused (DCP, dashboard, servers, services), found through DCP's <c>--monitor {pid}</c>.
/// </summary>
/// <remarks>
/// It starts through <c>env --default-signal=INT</c> (which then executes <c>dotnet</c> in its place, same pid), so
/// that Ctrl+C (SIGINT) reaches it as it does from a terminal, whatever the test run inherited: a shell without job
/// control starts a background command (<c>./eng/test.sh &amp;</c>, a CI step run in the background) with SIGINT
/// ignored, every process started from it inherits that, and .NET leaves an ignored SIGINT ignored (it installs no
/// handler), so such an AppHost never hears the interrupt and never stops.
/// </remarks>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly TemporaryDirectory _data = new("apphost-run");
    private readonly List<(DateTimeOffset Received, string Line)> _output = [];
    private readonly TaskCompletionSource<Uri> _login = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process, Uri dashboard)
    {
        Process = process;
        Dashboard = dashboard;
    }

    public Process Process { get; }

    /// <summary>The dashboard's browser address.</summary>
    public Uri Dashboard { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.Select(o => o.Line));
            }
        }
    }

    /// <summary>The output with the UTC time each line was read, to line it up with a browser's or a test's steps.</summary>
    public string TimedOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.Select(o => $"{o.Received.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {o.Line}"));
            }
        }
    }

    public static AppHostProcess Start(params string[] arguments)
    {
        // Four different ports: the dashboard, its OTLP/gRPC and OTLP/HTTP endpoints, and the AppHost's resource service.
        var ports = FreePorts(4);
        var dashboard = new Uri($"http://localhost:{ports[0]}");
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", typeof(Projects.AppHost).Assembly.Location, "--AppHost:Servers=local", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            Environment =
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = dashboard.ToString().TrimEnd('/'),
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{ports[1]}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{ports[2]}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{ports[3]}",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            },
        };
        var process = new Process { StartInfo = start };
        var host = new AppHostProcess(process, dashboard);
        process.StartInfo.ArgumentList.Add($"--AppHost:DataDirectory={host._data.Path}");
        process.OutputDataReceived += (_, e) => host.Received(e.Data);
        process.ErrorDataReceived += (_, e) => host.Received(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The login link the AppHost prints (with its browser token).</summary>
    public Task<Uri> LoginUrlAsync(CancellationToken cancellationToken) => _login.Task.WaitAsync(cancellationToken);

    /// <summary>Every live process DCP runs for this AppHost, DCP included.</summary>
    public List<(int Pid, string CommandLine)> Descendants()
    {
        var all = ProcFs.WithCommandLineContaining(string.Empty);
        var parents = all.ToDictionary(p => p.Pid, p => SafeParent(p.Pid));
        var roots = all.Where(p => p.CommandLine.Contains($"--monitor {Process.Id.ToString(CultureInfo.InvariantCulture)} ", StringComparison.Ordinal)).Select(p => p.Pid).ToHashSet();
        var found = new HashSet<int>(roots);
        bool added;
        do
        {
            added = false;
            foreach (var (pid, parent) in parents)
            {
                if (found.Contains(parent) && found.Add(pid))
                {
                    added = true;
                }
            }
        }
        while (added);

        return [.. all.Where(p => found.Contains(p.Pid))];
    }

    /// <summary>
    /// Polls until the local servers and every service replica run (the gateway and workers start only once the
    /// database is healthy, so this implies the whole chain); returns the processes.
    /// </summary>
    public async Task<List<(int Pid, string CommandLine)>> WaitForAllRunningAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Assert.False(Process.HasExited, $"The AppHost exited with {(Process.HasExited ? Process.ExitCode : 0)}:\n{Output}");
            var processes = Descendants();
            int Count(string text) => processes.Count(p => p.CommandLine.Contains(text, StringComparison.Ordinal));
            if (Count("redis-server") == 1 && Count("postgres -D") >= 1 && Count("Observability.Gateway") >= 1
                && Count("Observability.WebSocketHub") >= 1 && processes.Count(p => p.CommandLine.EndsWith("Observability.Worker.dll", StringComparison.Ordinal)) == 2)
            {
                return processes;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
        _data.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add((TimeProvider.System.GetUtcNow(), line));
        }

        if (LoginLine().Match(line) is { Success: true } match)
        {
            _login.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    private static int SafeParent(int pid)
    {
        try
        {
            return ProcFs.ParentOf(pid);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// <paramref name="count"/> free loopback ports, all different: every listener stays open until all are chosen. One
    /// listener opened and closed per port could be handed the port the previous one just released, and did: the
    /// dashboard and its OTLP/gRPC endpoint got the same port, and the browser was answered "An HTTP/1.x request was
    /// sent to an HTTP/2 only endpoint".
    /// </summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    [GeneratedRegex(@"Login to the dashboard at (\S+)")]
    private static partial Regex LoginLine();
}
