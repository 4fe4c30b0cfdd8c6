using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Observability.Gateway.Tests;

/// <summary>
/// One bad request and the answer it must get: <see cref="Status"/> (a 4xx), RFC 7807 problem details, and, when
/// <see cref="Field"/> is set, a validation error under that key (the JSON field, query or route parameter, or header).
/// </summary>
internal sealed record BadInputCase(string Name, HttpMethod Method, string Path, int Status, string? Field)
{
    /// <summary>Words that would mean a response leaks the service's inside: namespaces, .NET type names, exceptions.</summary>
    public static readonly string[] Leaks = ["Observability.", "System.", "Microsoft.", "Npgsql", "Exception", "   at "];

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; } = "application/json";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// Kestrel refuses the request while parsing it (a NUL in the path), before any middleware: <see cref="Status"/>
    /// with an empty body is the answer then.
    /// </summary>
    public bool RefusedByKestrel { get; init; }

    public static BadInputCase Post(string name, string path, string json, int status, string? field) =>
        new(name, HttpMethod.Post, path, status, field) { Body = Encoding.UTF8.GetBytes(json) };

    public static BadInputCase Get(string name, string pathAndQuery, int status, string? field) =>
        new(name, HttpMethod.Get, pathAndQuery, status, field) { ContentType = null };

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>What is wrong with the answer to this case, or null when it is the one expected.</summary>
    public async Task<string?> CheckAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var answer = $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {Shorten(text)}";
        return Problem(response, text) is { } problem ? $"{Name}: {problem} (answer: {answer})" : null;
    }

    /// <summary>A one-line description of an answer: status and the keys of <c>errors</c>.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var keys = TryErrors(text) is { } errors ? string.Join(",", errors.EnumerateObject().Select(p => p.Name)) : "-";
        return $"{(int)response.StatusCode} errors[{keys}]";
    }

    private string? Problem(HttpResponseMessage response, string text)
    {
        if ((int)response.StatusCode != Status)
        {
            return $"expected status {Status}";
        }

        if (RefusedByKestrel)
        {
            return text.Length == 0 ? null : "expected Kestrel's empty body";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return "expected application/problem+json";
        }

        if (Leaks.FirstOrDefault(leak => text.Contains(leak, StringComparison.Ordinal)) is { } leaked)
        {
            return $"the body names '{leaked}'";
        }

        try
        {
            using var problem = JsonDocument.Parse(text);
            if (!problem.RootElement.TryGetProperty("status", out var status) || status.GetInt32() != Status)
            {
                return "the problem's status is missing or wrong";
            }
        }
        catch (JsonException)
        {
            return "the body is not JSON";
        }

        if (Field is null)
        {
            return null;
        }

        return TryErrors(text) is { } errors && errors.TryGetProperty(Field, out var messages) && messages.GetArrayLength() > 0
            ? null
            : $"expected errors.{Field}";
    }

    private static JsonElement? TryErrors(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errors", out var errors)
                ? errors.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
