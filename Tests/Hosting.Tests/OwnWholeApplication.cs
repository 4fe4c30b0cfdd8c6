namespace Observability.Hosting.Tests;

/// <summary>
/// Tests that start (and dispose) their own copy of the AppHost's whole model. Like <see cref="WholeApplication"/>,
/// the collection runs alone, so it never overlaps the shared copy.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnWholeApplication
{
    public const string Name = "Whole application, own copy";
}
