using Observability.Dashboard.Storage;

namespace Observability.Dashboard.Apis;

/// <summary>Converts stored telemetry to the API's shapes.</summary>
internal static class Dtos
{
    public static Dictionary<string, string> Attributes(TelemetryAttribute[] attributes)
    {
        var map = new Dictionary<string, string>(attributes.Length, StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            map[attribute.Key] = attribute.Value.ToString();
        }

        return map;
    }

    public static double Milliseconds(long nanoseconds) => nanoseconds / 1_000_000.0;

    public static DateTimeOffset Time(long unixNano) => DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks(unixNano / 100);

    public static string Scope(InstrumentationScope scope) => scope.Version is null ? scope.Name : $"{scope.Name}@{scope.Version}";

    public static LogDto Log(LogRecordEntry log) => new(log.Sequence, log.EffectiveTimeUnixNano, Time(log.EffectiveTimeUnixNano),
        log.SeverityNumber, log.SeverityText, log.Body.ToString(), log.EventName, Attributes(log.Attributes),
        log.TraceId.IsEmpty ? null : log.TraceId.ToString(), SpanIds.ToHex(log.SpanId), log.Resource.Id, log.Resource.ServiceName,
        Scope(log.Scope));
}
