namespace Observability.Dashboard.Otlp;

/// <summary>Why a body could not be read.</summary>
internal enum RequestBodyStatus
{
    Ok,
    TooLarge,
    UnsupportedEncoding,
    InvalidCompression,
}
