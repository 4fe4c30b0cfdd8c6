using System.Collections.Concurrent;
using System.Globalization;

namespace Observability.ServiceDefaults.Telemetry;

/// <summary>
/// Low-allocation helpers for the HTTP semantic conventions: method normalisation, span names (cached per
/// method and route), boxed status codes and ports (cached), protocol versions.
/// </summary>
internal static class HttpSemantics
{
    /// <summary>The <c>http.request.method</c> of a method outside the well-known set.</summary>
    public const string OtherMethod = "_OTHER";

    private const int MaxCachedNames = 2048;
    private static readonly object[] BoxedNumbers = [.. Enumerable.Range(0, 600).Select(number => (object)number)];
    private static readonly string[] StatusTexts = [.. Enumerable.Range(0, 600).Select(number => number.ToString(CultureInfo.InvariantCulture))];
    private static readonly ConcurrentDictionary<(string Method, string Route), string> SpanNames = new();

    /// <summary>The method itself when well known (case-sensitive, as the conventions say), else <c>_OTHER</c>.</summary>
    public static string NormalizeMethod(string method) => method switch
    {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "PATCH" => "PATCH",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        "QUERY" => "QUERY",
        _ => OtherMethod,
    };

    /// <summary><c>{method} {route}</c>, or <c>{method}</c> without a route; <c>HTTP</c> stands for <c>_OTHER</c>.</summary>
    public static string SpanName(string normalizedMethod, string? route)
    {
        var method = ReferenceEquals(normalizedMethod, OtherMethod) ? "HTTP" : normalizedMethod;
        if (route is null)
        {
            return method;
        }

        if (SpanNames.TryGetValue((method, route), out var name))
        {
            return name;
        }

        name = string.Concat(method, " ", route);
        if (SpanNames.Count < MaxCachedNames)
        {
            SpanNames.TryAdd((method, route), name);
        }

        return name;
    }

    /// <summary>A route template with a leading slash, as <c>http.route</c> expects.</summary>
    public static string NormalizeRoute(string rawRoute) =>
        rawRoute.Length == 0 ? "/" : rawRoute[0] == '/' ? rawRoute : "/" + rawRoute;

    /// <summary>A boxed integer, cached for 0-599 (status codes, ports 80 and 443), so tagging does not allocate.</summary>
    public static object Box(int number) => number switch
    {
        >= 0 and < 600 => BoxedNumbers[number],
        _ => number,
    };

    /// <summary>The status code as a string (the <c>error.type</c> of a 5xx), cached.</summary>
    public static string StatusText(int status) =>
        status is >= 0 and < 600 ? StatusTexts[status] : status.ToString(CultureInfo.InvariantCulture);

    public static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    /// <summary><c>network.protocol.version</c> from <c>HttpRequest.Protocol</c>: <c>1.1</c>, <c>2</c>, <c>3</c>.</summary>
    public static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => protocol.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) ? protocol[5..] : protocol,
    };
}
