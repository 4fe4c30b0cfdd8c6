using Microsoft.Net.Http.Headers;

namespace Observability.Dashboard.Otlp;

/// <summary>Maps a request's Content-Type to an OTLP encoding.</summary>
internal static class OtlpContentTypes
{
    public static OtlpFormat? Parse(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }

        if (mediaType.MediaType.Equals(OtlpResponses.ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return OtlpFormat.Protobuf;
        }

        return mediaType.MediaType.Equals(OtlpResponses.JsonContentType, StringComparison.OrdinalIgnoreCase) ? OtlpFormat.Json : null;
    }
}
