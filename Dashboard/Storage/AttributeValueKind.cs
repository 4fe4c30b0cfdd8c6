namespace Observability.Dashboard.Storage;

/// <summary>The type an OTLP <c>AnyValue</c> carried.</summary>
internal enum AttributeValueKind : byte
{
    Empty,
    String,
    Bool,
    Int,
    Double,
    Bytes,
    Array,
    KeyValueList,
}
