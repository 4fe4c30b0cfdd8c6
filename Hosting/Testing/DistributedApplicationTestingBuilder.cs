using System.Globalization;
using System.Reflection;

namespace Observability.Hosting.Testing;

/// <summary>
/// Builds an application for a test (as Aspire.Hosting.Testing): random ports, a temporary state directory deleted
/// on dispose, quiet logs. <see cref="CreateAsync{TEntryPoint}"/> runs the app host's own <c>Program</c> to get its
/// model; <see cref="Create"/> starts from an empty model.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>Runs the entry point of <typeparamref name="TEntryPoint"/>'s assembly up to <c>Build()</c> and returns its builder.</summary>
    public static async Task<DistributedApplicationBuilder> CreateAsync<TEntryPoint>(string[] args, CancellationToken cancellationToken)
        where TEntryPoint : class
    {
        var assembly = typeof(TEntryPoint).Assembly;
        var entryPoint = assembly.EntryPoint ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no entry point.");
        var session = new TestingSession(assembly, TestConfiguration());
        var thread = new Thread(() => RunEntryPoint(session, entryPoint, args)) { IsBackground = true, Name = "App host entry point" };
        thread.Start();
        return await session.BuilderReady.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An empty builder whose projects are those <paramref name="assembly"/> references as hosted projects.</summary>
    public static DistributedApplicationBuilder Create(Assembly assembly, params string[] args) =>
        new(args, assembly, session: null, TestConfiguration());

    /// <summary>Where tests' temporary state lives: one folder per application, named after the test process.</summary>
    private static string StateRoot => Path.Combine(Path.GetTempPath(), "apphost-tests");

    private static Dictionary<string, string?> TestConfiguration() => new()
    {
        ["AppHost:RandomizePorts"] = "true",
        ["AppHost:EphemeralState"] = "true",
        ["AppHost:ConsoleCommands"] = "false",
        ["AppHost:StateDirectory"] = NewStateDirectory(),
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static string NewStateDirectory()
    {
        SweepStateOfDeadTestRuns();
        return Path.Combine(StateRoot, $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
    }

    /// <summary>
    /// A test run that was killed could not delete its state (its processes died with it: parent-death signal).
    /// Folders whose test process no longer exists are deleted here.
    /// </summary>
    private static void SweepStateOfDeadTestRuns()
    {
        if (!Directory.Exists(StateRoot))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(StateRoot))
        {
            var owner = Path.GetFileName(directory).Split('-')[0];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Directory.Exists($"/proc/{owner}") && pid != Environment.ProcessId)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another run is sweeping it too; it goes either way.
                }
            }
        }
    }

    private static void RunEntryPoint(TestingSession session, MethodInfo entryPoint, string[] args)
    {
        TestingSession.Current = session;
        try
        {
            entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            session.EntryPointEnded(null);
        }
        catch (TargetInvocationException e)
        {
            session.EntryPointEnded(e.InnerException ?? e);
        }
    }
}
