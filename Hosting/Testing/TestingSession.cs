using System.Reflection;

namespace Observability.Hosting.Testing;

/// <summary>
/// Connects a test to an app host's entry point running on its own thread: the entry point's builder is handed to
/// the test at <c>Build()</c>, the test builds (and may change the model first), and the entry point's <c>Run()</c>
/// returns when the test disposes the application.
/// </summary>
internal sealed class TestingSession(Assembly appAssembly, IReadOnlyDictionary<string, string?> configurationOverrides)
{
    private static readonly AsyncLocal<TestingSession?> CurrentSession = new();
    private readonly TaskCompletionSource<DistributedApplicationBuilder> _builderReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _buildRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DistributedApplication> _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TestingSession? Current
    {
        get => CurrentSession.Value;
        set => CurrentSession.Value = value;
    }

    public Assembly AppAssembly { get; } = appAssembly;

    public IReadOnlyDictionary<string, string?> ConfigurationOverrides { get; } = configurationOverrides;

    public Task<DistributedApplicationBuilder> BuilderReady => _builderReady.Task;

    public Task Disposed => _disposed.Task;

    /// <summary>On the entry point's thread: gives the builder to the test and blocks until the test asks to build.</summary>
    public DistributedApplication HandOff(DistributedApplicationBuilder builder)
    {
        _builderReady.TrySetResult(builder);
        // The entry point is synchronous ('builder.Build().Run()') and runs on a thread of its own: blocking it is the point.
        _buildRequested.Task.GetAwaiter().GetResult();
        try
        {
            var app = builder.BuildCore();
            _built.TrySetResult(app);
            return app;
        }
        catch (Exception e)
        {
            _built.TrySetException(e);
            throw;
        }
    }

    public Task<DistributedApplication> RequestBuildAsync(CancellationToken cancellationToken)
    {
        _buildRequested.TrySetResult();
        return _built.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The entry point ended (or failed) before or after handing over its builder.</summary>
    public void EntryPointEnded(Exception? exception)
    {
        var error = exception ?? new InvalidOperationException("The app host's entry point returned without calling DistributedApplicationBuilder.Build().");
        _builderReady.TrySetException(error);
        _built.TrySetException(error);
    }

    public void MarkDisposed() => _disposed.TrySetResult();
}
