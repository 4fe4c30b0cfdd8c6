using BenchmarkDotNet.Attributes;
using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Benchmarks;

/// <summary>
/// Where the masking of one server span's attributes spends its time (<see cref="SpanPipelineBenchmarks"/> measures
/// the whole span): the attributes the ASP.NET Core instrumentation sets, plus the correlation ID, through
/// <see cref="SensitiveDataMasker.MaskAttribute"/>, and the two halves of it on their own: the sensitive-key
/// check of every key and the value scan of every string.
/// </summary>
[MemoryDiagnoser]
public class AttributeMaskingBenchmarks
{
    private static readonly KeyValuePair<string, object?>[] Attributes =
    [
        new("server.address", "127.0.0.1"),
        new("server.port", 5080),
        new("http.request.method", "GET"),
        new("url.scheme", "http"),
        new("url.path", "/api/workflows/7f3c2a"),
        new("url.query", "?include=Redacted&token=Redacted"),
        new("network.protocol.version", "1.1"),
        new("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench"),
        new("http.route", "/api/workflows/{id}"),
        new("http.response.status_code", 200),
        new("correlation.id", "e4d775ee1d0d47369b43996866529082"),
    ];

    private readonly SensitiveDataMasker _masker = new(new SensitiveDataMaskingOptions());

    /// <summary>Every attribute, as the masking span processor checks it.</summary>
    [Benchmark(Baseline = true)]
    public int MaskAttributes()
    {
        var changed = 0;
        foreach (var (key, value) in Attributes)
        {
            if (!ReferenceEquals(_masker.MaskAttribute(key, value), value))
            {
                changed++;
            }
        }

        return changed;
    }

    /// <summary>Only the sensitive-key check of every key.</summary>
    [Benchmark]
    public int CheckKeys()
    {
        var sensitive = 0;
        foreach (var (key, _) in Attributes)
        {
            if (_masker.IsSensitiveKey(key))
            {
                sensitive++;
            }
        }

        return sensitive;
    }

    /// <summary>Only the value scan of every string value.</summary>
    [Benchmark]
    public int ScanValues()
    {
        var changed = 0;
        foreach (var (_, value) in Attributes)
        {
            if (value is string text && !ReferenceEquals(_masker.MaskText(text), text))
            {
                changed++;
            }
        }

        return changed;
    }
}
