using System.Diagnostics;

namespace Observability.ServiceDefaults.Tests.Correlation;

/// <summary>An ActivitySource under the root namespace, so the defaults trace it (<c>Observability.*</c>).</summary>
internal static class CorrelationTestSources
{
    public static readonly ActivitySource Source = new(typeof(CorrelationTestSources).FullName!);
}
