namespace Observability.Hosting.Tests;

/// <summary>
/// Tests that start the AppHost's whole model (eight processes and two servers) run one after the other, so two
/// whole applications never compete for the machine's cores and loopback ports at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WholeApplication
{
    public const string Name = "Whole application";
}
