using Observability.Worker.Jobs;

namespace Observability.Worker.Tests.Jobs;

public sealed class JobTraceBaggageTests
{
    [Fact]
    public void ParseBaggage_MembersWithPropertiesAndEncoding_Decoded()
    {
        var members = JobTrace.ParseBaggage(" correlation.id = abc%20123 ;prop=1, tenant=acme,broken,=nokey").ToList();

        Assert.Equal([new("correlation.id", "abc 123"), new("tenant", "acme")], members);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ParseBaggage_Empty_NoMembers(string? baggage)
    {
        Assert.Empty(JobTrace.ParseBaggage(baggage));
    }
}
