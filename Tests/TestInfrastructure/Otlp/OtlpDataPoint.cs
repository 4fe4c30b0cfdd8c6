namespace Observability.TestInfrastructure.Otlp;

/// <summary>One data point of a metric. Number points set a value; histogram points set count, sum and buckets.</summary>
public sealed class OtlpDataPoint
{
    /// <summary>The data point attributes.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }

    /// <summary>Start of the aggregation window, in nanoseconds since the Unix epoch.</summary>
    public required ulong StartTimeUnixNano { get; init; }

    /// <summary>End of the aggregation window, in nanoseconds since the Unix epoch.</summary>
    public required ulong TimeUnixNano { get; init; }

    /// <summary>The value of a gauge or sum point sent as a double, or null.</summary>
    public double? DoubleValue { get; init; }

    /// <summary>The value of a gauge or sum point sent as an integer, or null.</summary>
    public long? IntValue { get; init; }

    /// <summary>The number of measurements of a histogram or summary point, or null.</summary>
    public ulong? Count { get; init; }

    /// <summary>The sum of a histogram or summary point, or null.</summary>
    public double? Sum { get; init; }

    /// <summary>Bucket counts of an explicit-bucket histogram point (empty otherwise).</summary>
    public IReadOnlyList<ulong> BucketCounts { get; init; } = [];

    /// <summary>Bucket upper bounds of an explicit-bucket histogram point (empty otherwise).</summary>
    public IReadOnlyList<double> ExplicitBounds { get; init; } = [];

    /// <summary>The value of a number point whichever way it was sent, or null for other points.</summary>
    public double? Value => DoubleValue ?? IntValue;

    /// <summary>The string attribute <paramref name="key"/>, or null when absent or not a string.</summary>
    public string? GetString(string key) => Attributes.TryGetValue(key, out var value) ? value as string : null;
}
