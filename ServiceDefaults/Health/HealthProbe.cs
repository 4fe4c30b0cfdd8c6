namespace Observability.ServiceDefaults.Health;

/// <summary>Which checks a probe runs.</summary>
internal enum HealthProbe
{
    /// <summary><c>/alive</c>: the checks tagged <see cref="HealthTags.Live"/> (the process itself).</summary>
    Live,

    /// <summary><c>/ready</c>: the checks tagged <see cref="HealthTags.Ready"/> (the dependencies).</summary>
    Ready,

    /// <summary><c>/health</c> and <c>/status</c>: every check.</summary>
    All,
}
