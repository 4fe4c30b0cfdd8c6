using Observability.ServiceDefaults.Telemetry;

namespace Observability.ServiceDefaults.Tests.Telemetry;

public sealed class HttpSemanticsTests
{
    [Theory]
    [InlineData("a=1&b=2", "a=REDACTED&b=REDACTED")]
    [InlineData("flag", "flag")]
    [InlineData("a=&b", "a=REDACTED&b")]
    [InlineData("token=x=y", "token=REDACTED")]
    [InlineData("a=1&&b=2", "a=REDACTED&&b=REDACTED")]
    [InlineData("*", "*")]
    public void Redact_Query_KeepsKeysAndReplacesValues(string query, string expected) =>
        Assert.Equal(expected, QueryRedactor.Redact(query));

    [Theory]
    [InlineData("http://h/p", "http://h/p")]
    [InlineData("http://h/p?key=secret", "http://h/p?key=REDACTED")]
    [InlineData("http://h/p?key=secret#frag", "http://h/p?key=REDACTED")]
    [InlineData("http://h/p?*", "http://h/p?*")]
    public void RedactUrl_FullUrl_RedactsOnlyTheQuery(string url, string expected) =>
        Assert.Equal(expected, QueryRedactor.RedactUrl(url));

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("get", "_OTHER")]
    [InlineData("PURGE", "_OTHER")]
    public void NormalizeMethod_Method_IsKnownOrOther(string method, string expected) =>
        Assert.Equal(expected, HttpSemantics.NormalizeMethod(method));

    [Theory]
    [InlineData("GET", "/items/{id}", "GET /items/{id}")]
    [InlineData("GET", null, "GET")]
    [InlineData("_OTHER", "/x", "HTTP /x")]
    [InlineData("_OTHER", null, "HTTP")]
    public void SpanName_MethodAndRoute_FollowsConventions(string method, string? route, string expected) =>
        Assert.Equal(expected, HttpSemantics.SpanName(HttpSemantics.NormalizeMethod(method == "_OTHER" ? "PURGE" : method), route));

    [Fact]
    public void SpanName_SameRouteTwice_ReturnsCachedInstance() =>
        Assert.Same(HttpSemantics.SpanName("GET", "/cached/{id}"), HttpSemantics.SpanName("GET", "/cached/{id}"));

    [Theory]
    [InlineData("", "/")]
    [InlineData("items/{id}", "/items/{id}")]
    [InlineData("/items", "/items")]
    public void NormalizeRoute_Template_HasLeadingSlash(string raw, string expected) =>
        Assert.Equal(expected, HttpSemantics.NormalizeRoute(raw));

    [Theory]
    [InlineData("HTTP/1.1", "1.1")]
    [InlineData("HTTP/2", "2")]
    [InlineData("HTTP/3", "3")]
    [InlineData("HTTP/1.0", "1.0")]
    public void ProtocolVersion_Protocol_IsVersionOnly(string protocol, string expected) =>
        Assert.Equal(expected, HttpSemantics.ProtocolVersion(protocol));

    [Fact]
    public void Box_StatusCode_ReturnsCachedBox() =>
        Assert.Same(HttpSemantics.Box(200), HttpSemantics.Box(200));
}
