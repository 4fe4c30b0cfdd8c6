namespace Observability.Dashboard.Otlp;

/// <summary>The export could not be decoded; the sender gets 400 with a <c>google.rpc.Status</c>.</summary>
internal sealed class OtlpDecodeException : Exception
{
    public OtlpDecodeException()
    {
    }

    public OtlpDecodeException(string message)
        : base(message)
    {
    }

    public OtlpDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
