using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Otlp;

/// <summary>Limits and shared state for decoding one export, and the counts of what it dropped or rejected.</summary>
internal sealed class OtlpDecodeContext(OtlpLimits limits, Utf8StringCache strings)
{
    private readonly Stack<List<TelemetryAttribute>> _lists = new();

    public OtlpLimits Limits { get; } = limits;

    public Utf8StringCache Strings { get; } = strings;

    /// <summary>Items refused (invalid ids, unknown data shapes): reported in <c>partial_success</c>.</summary>
    public long Rejected { get; set; }

    /// <summary>Attributes, events and links cut off by our caps.</summary>
    public long Truncated { get; set; }

    /// <summary>First reason an item was rejected, for <c>partial_success.error_message</c>.</summary>
    public string? RejectionMessage { get; private set; }

    public void Reject(string message, long count = 1)
    {
        Rejected += count;
        RejectionMessage ??= message;
    }

    public List<TelemetryAttribute> RentList() => _lists.Count > 0 ? _lists.Pop() : new List<TelemetryAttribute>(16);

    public TelemetryAttribute[] ToArrayAndReturn(List<TelemetryAttribute> list)
    {
        var array = list.Count == 0 ? [] : list.ToArray();
        list.Clear();
        _lists.Push(list);
        return array;
    }

    /// <summary>Adds an attribute unless the item already holds the maximum (then counts it as truncated).</summary>
    public void AddAttribute(List<TelemetryAttribute> list, TelemetryAttribute attribute)
    {
        if (list.Count >= Limits.MaxAttributeCount)
        {
            Truncated++;
            return;
        }

        list.Add(attribute);
    }

    public string Truncate(string value)
    {
        if (value.Length <= Limits.MaxAttributeLength)
        {
            return value;
        }

        Truncated++;
        return value[..Limits.MaxAttributeLength];
    }
}
