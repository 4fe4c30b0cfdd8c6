using Microsoft.AspNetCore.Http;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>The probe and scrape paths kept out of traces: polled every few seconds, they would drown real traffic.</summary>
internal static class HealthPaths
{
    private static readonly PathString[] Paths = ["/health", "/alive", "/ready", "/status", "/metrics"];

    /// <summary>True for the paths above and anything below them (<c>/health/db</c>), case-insensitive.</summary>
    public static bool IsMatch(PathString path)
    {
        foreach (var candidate in Paths)
        {
            if (path.StartsWithSegments(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
