namespace Observability.Dashboard.Configuration;

/// <summary>How OTLP senders authenticate.</summary>
internal enum OtlpAuthMode
{
    /// <summary>Every export must carry a valid <c>x-otlp-api-key</c> header.</summary>
    ApiKey,

    /// <summary>Anyone who can reach the endpoint may export. Only when configured explicitly.</summary>
    Unsecured,
}
