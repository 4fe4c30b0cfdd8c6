namespace Observability.Dashboard.Otlp;

/// <summary>Protocol buffers wire types (groups are rejected: OTLP never uses them).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
