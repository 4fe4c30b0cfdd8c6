namespace Observability.SampleTraffic;

/// <summary>What the sample traffic submits, where and how often (section <c>SampleTraffic</c>).</summary>
internal sealed class SampleTrafficOptions
{
    public const string SectionName = "SampleTraffic";

    /// <summary>
    /// <c>SampleTraffic:Gateway</c>: the gateway's address. Default <c>http://gateway</c>, resolved by service
    /// discovery from <c>services:gateway:http:0</c> (the AppHost injects it as <c>services__gateway__http__0</c>).
    /// </summary>
    public Uri Gateway { get; set; } = new("http://gateway");

    /// <summary><c>SampleTraffic:Interval</c>: time between two submits (100 ms to 1 hour). Default 5 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>SampleTraffic:SessionId</c>: the session every sample run belongs to. Default <c>sample-traffic</c>.</summary>
    public string SessionId { get; set; } = "sample-traffic";
}
