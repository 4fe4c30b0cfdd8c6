namespace Observability.Dashboard.Configuration;

/// <summary>Browser access settings, bound from the <c>Dashboard:Frontend</c> configuration section.</summary>
internal sealed class FrontendOptions
{
    public const string SectionName = "Dashboard:Frontend";

    /// <summary><c>Dashboard:Frontend:AuthMode</c>. Default <see cref="FrontendAuthMode.BrowserToken"/>.</summary>
    public FrontendAuthMode AuthMode { get; set; } = FrontendAuthMode.BrowserToken;

    /// <summary>
    /// <c>Dashboard:Frontend:BrowserToken</c>: the token exchanged for a cookie. Default: a random token generated
    /// at start and written to the log.
    /// </summary>
    public string? BrowserToken { get; set; }
}
