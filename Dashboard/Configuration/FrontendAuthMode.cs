namespace Observability.Dashboard.Configuration;

/// <summary>How browsers authenticate to the query API.</summary>
internal enum FrontendAuthMode
{
    /// <summary>A token printed at start is exchanged for a cookie at <c>/login?t=TOKEN</c>.</summary>
    BrowserToken,

    /// <summary>The query API is open to anyone. Only when configured explicitly.</summary>
    Unsecured,
}
