namespace Observability.TestInfrastructure.Otlp;

/// <summary>Decodes one span, log record or metric message found under a resource and a scope.</summary>
internal delegate T OtlpItemDecoder<out T>(ReadOnlySpan<byte> message, OtlpResource resource, OtlpScope scope);
