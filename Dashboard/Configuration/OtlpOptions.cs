namespace Observability.Dashboard.Configuration;

/// <summary>OTLP receiver settings, bound from the <c>Dashboard:Otlp</c> configuration section.</summary>
internal sealed class OtlpOptions
{
    public const string SectionName = "Dashboard:Otlp";

    /// <summary><c>Dashboard:Otlp:AuthMode</c>. Default <see cref="OtlpAuthMode.ApiKey"/>.</summary>
    public OtlpAuthMode AuthMode { get; set; } = OtlpAuthMode.ApiKey;

    /// <summary><c>Dashboard:Otlp:PrimaryApiKey</c>. Required when <see cref="AuthMode"/> is ApiKey. No default.</summary>
    public string? PrimaryApiKey { get; set; }

    /// <summary><c>Dashboard:Otlp:SecondaryApiKey</c>: a second accepted key, for rotation. Default none.</summary>
    public string? SecondaryApiKey { get; set; }

    /// <summary><c>Dashboard:Otlp:MaxRequestBodyBytes</c>: the largest export, compressed or not. Default 4 MiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary><c>Dashboard:Otlp:MaxConcurrentExports</c>: exports decoded at once; more get 503. Default 64.</summary>
    public int MaxConcurrentExports { get; set; } = 64;

    /// <summary><c>Dashboard:Otlp:RetryAfter</c>: what a sender is told to wait when over capacity. Default 1 s.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Dashboard:Otlp:MaxNestingDepth</c>: deepest nested attribute value accepted. Default 32.</summary>
    public int MaxNestingDepth { get; set; } = 32;

    /// <summary><c>Dashboard:Otlp:CorsAllowedOrigins</c>: browser origins allowed to export over OTLP/HTTP. Default none.</summary>
    public IList<string> CorsAllowedOrigins { get; } = [];
}
