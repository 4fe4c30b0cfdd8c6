namespace Observability.Dashboard.Storage;

/// <summary>OTLP <c>Span.SpanKind</c> numbers.</summary>
internal enum SpanKind : byte
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}
