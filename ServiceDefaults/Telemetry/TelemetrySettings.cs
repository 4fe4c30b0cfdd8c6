using System.Globalization;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>The parsed and validated form of <see cref="TelemetryOptions"/>.</summary>
internal sealed class TelemetrySettings
{
    private const string DefaultSampler = "parentbased_always_on";
    private static readonly TimeSpan DefaultSpanDelay = TimeSpan.FromMilliseconds(5000);
    private static readonly TimeSpan DefaultLogDelay = TimeSpan.FromMilliseconds(1000);
    private static readonly TimeSpan DefaultMetricInterval = TimeSpan.FromMilliseconds(60000);

    /// <summary>The OTLP base endpoint, or null when nothing is exported.</summary>
    public Uri? Endpoint { get; private init; }

    /// <summary>The OTLP transport.</summary>
    public OtlpExportProtocol Protocol { get; private init; } = OtlpExportProtocol.Grpc;

    /// <summary>Headers in the exporter's <c>key=value,key=value</c> form, or null.</summary>
    public string? Headers { get; private init; }

    /// <summary>The <c>service.name</c>.</summary>
    public string ServiceName { get; private init; } = string.Empty;

    /// <summary>The <c>service.instance.id</c>: from <c>OTEL_RESOURCE_ATTRIBUTES</c>, else a new GUID.</summary>
    public string ServiceInstanceId { get; private init; } = string.Empty;

    /// <summary>Resource attributes from <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>service.name</c> and <c>service.instance.id</c> excluded.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> ResourceAttributes { get; private init; } = [];

    /// <summary>Delay between span exports.</summary>
    public TimeSpan SpanScheduleDelay { get; private init; } = DefaultSpanDelay;

    /// <summary>Delay between log exports.</summary>
    public TimeSpan LogScheduleDelay { get; private init; } = DefaultLogDelay;

    /// <summary>Interval between metric exports.</summary>
    public TimeSpan MetricExportInterval { get; private init; } = DefaultMetricInterval;

    /// <summary>The sampler name, lowercase.</summary>
    public string SamplerName { get; private init; } = DefaultSampler;

    /// <summary>The sampling ratio of the ratio samplers.</summary>
    public double SamplerRatio { get; private init; } = 1.0;

    /// <summary>
    /// Parses <paramref name="options"/>; every problem is added to <paramref name="errors"/> with the name of the
    /// variable at fault, and the default is used in its place.
    /// </summary>
    public static TelemetrySettings Parse(TelemetryOptions options, string applicationName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);

        var attributes = ParsePairs(options.ResourceAttributes, "OTEL_RESOURCE_ATTRIBUTES", decode: true, errors);
        var serviceName = Trimmed(options.ServiceName)
            ?? attributes.FirstOrDefault(pair => pair.Key == "service.name").Value
            ?? applicationName;
        ParsePairs(options.Headers, "OTEL_EXPORTER_OTLP_HEADERS", decode: false, errors);

        return new TelemetrySettings
        {
            Endpoint = ParseEndpoint(options.Endpoint, errors),
            Protocol = ParseProtocol(options.Protocol, errors),
            Headers = Trimmed(options.Headers),
            ServiceName = serviceName,
            ServiceInstanceId = attributes.FirstOrDefault(pair => pair.Key == "service.instance.id").Value
                ?? Guid.NewGuid().ToString(),
            ResourceAttributes = [.. attributes
                .Where(pair => pair.Key is not ("service.name" or "service.instance.id"))
                .Select(pair => new KeyValuePair<string, object>(pair.Key, pair.Value))],
            SpanScheduleDelay = ParseMilliseconds(options.SpanScheduleDelay, "OTEL_BSP_SCHEDULE_DELAY", DefaultSpanDelay, errors),
            LogScheduleDelay = ParseMilliseconds(options.LogScheduleDelay, "OTEL_BLRP_SCHEDULE_DELAY", DefaultLogDelay, errors),
            MetricExportInterval = ParseMilliseconds(
                options.MetricExportInterval, "OTEL_METRIC_EXPORT_INTERVAL", DefaultMetricInterval, errors),
            SamplerName = ParseSampler(options.Sampler, errors),
            SamplerRatio = ParseRatio(options.SamplerArgument, errors),
        };
    }

    /// <summary>The endpoint of one signal: the base for gRPC, the base plus <paramref name="signalPath"/> for HTTP.</summary>
    public Uri EndpointFor(string signalPath)
    {
        var endpoint = Endpoint ?? throw new InvalidOperationException("OTEL_EXPORTER_OTLP_ENDPOINT is not set.");
        if (Protocol == OtlpExportProtocol.Grpc)
        {
            return endpoint;
        }

        var baseUri = endpoint.AbsoluteUri.EndsWith('/') ? endpoint.AbsoluteUri : endpoint.AbsoluteUri + "/";
        return new Uri(new Uri(baseUri), signalPath.TrimStart('/'));
    }

    /// <summary>The sampler named by <c>OTEL_TRACES_SAMPLER</c>.</summary>
    public Sampler CreateSampler() => SamplerName switch
    {
        "always_on" => new AlwaysOnSampler(),
        "always_off" => new AlwaysOffSampler(),
        "traceidratio" => new TraceIdRatioBasedSampler(SamplerRatio),
        "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
        "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(SamplerRatio)),
        _ => new ParentBasedSampler(new AlwaysOnSampler()),
    };

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri? ParseEndpoint(string? value, ICollection<string> errors)
    {
        if (Trimmed(value) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        errors.Add($"OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http:// or https:// URL; got '{text}'.");
        return null;
    }

    private static OtlpExportProtocol ParseProtocol(string? value, ICollection<string> errors)
    {
        switch (Trimmed(value)?.ToLowerInvariant())
        {
            case null or "grpc":
                return OtlpExportProtocol.Grpc;
            case "http/protobuf":
                return OtlpExportProtocol.HttpProtobuf;
            default:
                errors.Add($"OTEL_EXPORTER_OTLP_PROTOCOL must be 'grpc' or 'http/protobuf'; got '{value}'.");
                return OtlpExportProtocol.Grpc;
        }
    }

    private static List<KeyValuePair<string, string>> ParsePairs(
        string? value, string variable, bool decode, ICollection<string> errors)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (Trimmed(value) is not { } text)
        {
            return pairs;
        }

        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? item[..equals].Trim() : string.Empty;
            if (key.Length == 0)
            {
                errors.Add($"{variable} must be a comma-separated list of key=value pairs; '{item}' is not one.");
                continue;
            }

            var raw = item[(equals + 1)..].Trim();
            pairs.Add(new(key, decode ? Uri.UnescapeDataString(raw) : raw));
        }

        return pairs;
    }

    private static TimeSpan ParseMilliseconds(string? value, string variable, TimeSpan fallback, ICollection<string> errors)
    {
        if (Trimmed(value) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        errors.Add($"{variable} must be a positive whole number of milliseconds; got '{text}'.");
        return fallback;
    }

    private static string ParseSampler(string? value, ICollection<string> errors)
    {
        var name = Trimmed(value)?.ToLowerInvariant() ?? DefaultSampler;
        if (name is "always_on" or "always_off" or "traceidratio"
            or "parentbased_always_on" or "parentbased_always_off" or "parentbased_traceidratio")
        {
            return name;
        }

        errors.Add(
            "OTEL_TRACES_SAMPLER must be one of always_on, always_off, traceidratio, parentbased_always_on, " +
            $"parentbased_always_off, parentbased_traceidratio; got '{value}'.");
        return DefaultSampler;
    }

    private static double ParseRatio(string? value, ICollection<string> errors)
    {
        if (Trimmed(value) is not { } text)
        {
            return 1.0;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1)
        {
            return ratio;
        }

        errors.Add($"OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1; got '{text}'.");
        return 1.0;
    }
}
