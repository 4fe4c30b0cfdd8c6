using Observability.TestInfrastructure.Postgres;

namespace Observability.EndToEnd.Tests.Harness;

/// <summary>
/// One PostgreSQL server for the test assembly, one shared platform (gateway, worker, hub, OTLP capture) started on
/// first use for every scenario that leaves the processes running, and dedicated platforms for the scenarios that
/// kill a worker, stop Redis or need a slow model.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _sharedGate = new(1, 1);
    private PostgresServer? _postgres;
    private Platform? _shared;

    internal PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The platform shared by the tests that neither stop nor reconfigure a service.</summary>
    internal async Task<Platform> SharedAsync(CancellationToken cancellationToken)
    {
        await _sharedGate.WaitAsync(cancellationToken);
        try
        {
            return _shared ??= await Platform.StartAsync(Postgres, new PlatformOptions { CaptureTelemetry = true }, cancellationToken);
        }
        finally
        {
            _sharedGate.Release();
        }
    }

    /// <summary>A platform of the test's own (dispose it at the end of the test).</summary>
    internal Task<Platform> StartDedicatedAsync(PlatformOptions options, CancellationToken cancellationToken) =>
        Platform.StartAsync(Postgres, options, cancellationToken);

    public async ValueTask InitializeAsync() => _postgres = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_shared is not null)
        {
            await _shared.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _sharedGate.Dispose();
    }
}
