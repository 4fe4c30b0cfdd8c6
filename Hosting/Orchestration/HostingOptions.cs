using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Observability.Hosting.Orchestration;

/// <summary>The orchestrator's settings, section <c>AppHost</c> (e.g. environment variable <c>AppHost__Runtime=local</c>).</summary>
internal sealed class HostingOptions
{
    public const string Section = "AppHost";

    /// <summary>
    /// <c>AppHost:StateDirectory</c>: where generated passwords and database files live, outside the repository.
    /// Default: <c>$XDG_STATE_HOME/{app}</c> (else <c>~/.local/state/{app}</c>); as root <c>/var/lib/{app}</c>, which
    /// the <c>postgres</c> user can enter.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary><c>AppHost:Runtime</c>: <c>auto</c> (default), <c>local</c> or <c>container</c>.</summary>
    public RuntimeMode Runtime { get; init; } = RuntimeMode.Auto;

    /// <summary><c>AppHost:RandomizePorts</c>: ignore fixed ports and allocate free ones (default false; tests set it).</summary>
    public bool RandomizePorts { get; init; }

    /// <summary><c>AppHost:EphemeralState</c>: the state directory is temporary and deleted on dispose (default false; tests set it).</summary>
    public bool EphemeralState { get; init; }

    /// <summary><c>AppHost:HealthCheckInterval</c>: time between probes of a healthy replica (default 5 s).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>AppHost:HealthCheckTimeout</c>: how long one probe may take (default 2 s).</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>AppHost:StopTimeout</c>: grace between the stop signal and SIGKILL (default 10 s).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>AppHost:RestartBackoff</c>: delay before the first restart of a crashed project, doubled per crash (default 1 s).</summary>
    public TimeSpan RestartBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>AppHost:MaxRestartBackoff</c>: the longest delay between restarts (default 30 s).</summary>
    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>AppHost:LogCapacity</c>: console lines kept per resource (default 2000).</summary>
    public int LogCapacity { get; init; } = 2000;

    /// <summary><c>AppHost:ShowLogs</c>: resources whose output is echoed to the console: <c>all</c>, or names separated by commas (default none).</summary>
    public IReadOnlySet<string> ShowLogs { get; init; } = new HashSet<string>();

    /// <summary>
    /// <c>AppHost:OtlpEndpoint</c>: where services export telemetry (OTEL_EXPORTER_OTLP_ENDPOINT) instead of the
    /// application's dashboard, e.g. an external collector; default none: the dashboard when there is one, else nowhere.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>AppHost:OtlpProtocol</c>: the protocol for <c>AppHost:OtlpEndpoint</c>, <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary><c>AppHost:OtlpHeaders</c>: OTEL_EXPORTER_OTLP_HEADERS for <c>AppHost:OtlpEndpoint</c>, e.g. an API key (default none).</summary>
    public string? OtlpHeaders { get; init; }

    /// <summary><c>AppHost:ConsoleCommands</c>: read commands (status, stop, start, restart, logs) from the console; default: when it is a terminal.</summary>
    public bool ConsoleCommands { get; init; }

    public bool ShowsLogsOf(string resource) => ShowLogs.Contains("all") || ShowLogs.Contains(resource);

    /// <summary>Reads and validates the section; an invalid value fails with the key that holds it.</summary>
    public static HostingOptions Load(IConfiguration configuration, string applicationName)
    {
        var section = configuration.GetSection(Section);
        var options = new HostingOptions
        {
            StateDirectory = section["StateDirectory"] is { Length: > 0 } state ? Path.GetFullPath(state) : DefaultStateDirectory(applicationName),
            Runtime = Parse(section, "Runtime", RuntimeMode.Auto, s => Enum.Parse<RuntimeMode>(s, ignoreCase: true)),
            RandomizePorts = Parse(section, "RandomizePorts", false, bool.Parse),
            EphemeralState = Parse(section, "EphemeralState", false, bool.Parse),
            HealthCheckInterval = Positive(section, "HealthCheckInterval", TimeSpan.FromSeconds(5)),
            HealthCheckTimeout = Positive(section, "HealthCheckTimeout", TimeSpan.FromSeconds(2)),
            StopTimeout = Positive(section, "StopTimeout", TimeSpan.FromSeconds(10)),
            RestartBackoff = Positive(section, "RestartBackoff", TimeSpan.FromSeconds(1)),
            MaxRestartBackoff = Positive(section, "MaxRestartBackoff", TimeSpan.FromSeconds(30)),
            LogCapacity = Parse(section, "LogCapacity", 2000, s => int.Parse(s, CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new FormatException()),
            ShowLogs = (section["ShowLogs"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
            OtlpEndpoint = Parse<Uri?>(section, "OtlpEndpoint", null, s => new Uri(s, UriKind.Absolute)),
            OtlpProtocol = Parse(section, "OtlpProtocol", "grpc", s => s is "grpc" or "http/protobuf" ? s : throw new FormatException()),
            OtlpHeaders = section["OtlpHeaders"],
            ConsoleCommands = Parse(section, "ConsoleCommands", !Console.IsInputRedirected, bool.Parse),
        };
        if (options.MaxRestartBackoff < options.RestartBackoff)
        {
            throw new InvalidOperationException($"Configuration key '{Section}:MaxRestartBackoff' ({options.MaxRestartBackoff}) must not be shorter than '{Section}:RestartBackoff' ({options.RestartBackoff}).");
        }

        return options;
    }

    private static string DefaultStateDirectory(string applicationName)
    {
        var name = applicationName.ToLowerInvariant();
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (xdg is { Length: > 0 })
        {
            return Path.Combine(xdg, name);
        }

        return Processes.NativeMethods.IsRoot
            ? Path.Combine("/var/lib", name)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", name);
    }

    private static TimeSpan Positive(IConfigurationSection section, string key, TimeSpan fallback) =>
        Parse(section, key, fallback, s => TimeSpan.Parse(s, CultureInfo.InvariantCulture) is var t && t > TimeSpan.Zero ? t : throw new FormatException());

    private static T Parse<T>(IConfigurationSection section, string key, T fallback, Func<string, T> parse)
    {
        if (section[key] is not { Length: > 0 } value)
        {
            return fallback;
        }

        try
        {
            return parse(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or UriFormatException)
        {
            throw new InvalidOperationException($"Configuration key '{Section}:{key}' has an invalid value '{value}'.", e);
        }
    }
}
