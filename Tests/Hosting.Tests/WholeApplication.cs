namespace Observability.Hosting.Tests;

/// <summary>
/// Tests that share one running copy of the AppHost's whole model (<see cref="AppHostFixture"/>: eight processes and
/// two servers). The collection runs alone, after the parallel tests, so a whole application never competes with
/// another for the machine's cores and loopback ports.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeApplication : ICollectionFixture<AppHostFixture>
{
    public const string Name = "Whole application";
}
