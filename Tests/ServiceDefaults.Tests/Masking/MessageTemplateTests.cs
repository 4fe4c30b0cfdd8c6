using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Tests.Masking;

public sealed class MessageTemplateTests
{
    private static readonly SensitiveKeySet Keys = new(SensitiveKeySet.BuiltInWords);

    [Fact]
    public void Render_SensitiveAndOrdinaryHoles_MasksOnlySensitiveValues()
    {
        var state = State("User {User} logged in with {Password} at {Amount:F2} {{literal}} [{Code,5}] [{Tag,-4}]",
            ("User", "bob"), ("Password", "hunter2"), ("Amount", 3.14159), ("Code", 42), ("Tag", "ab"));

        var template = MessageTemplate.FindTemplateToRender(state, Keys);

        Assert.NotNull(template);
        Assert.Equal("User bob logged in with *** at 3.14 {literal} [   42] [ab  ]", MessageTemplate.Render(template, state, Keys));
    }

    [Fact]
    public void Render_NullAndListValues_FormattedLikeTheLoggingLibrary()
    {
        var state = State("{Token} {Missing} {Items}", ("Token", "t"), ("Missing", null), ("Items", new[] { 1, 2, 3 }));

        Assert.Equal("*** (null) 1, 2, 3", MessageTemplate.Render(MessageTemplate.FindTemplateToRender(state, Keys)!, state, Keys));
    }

    [Fact]
    public void FindTemplateToRender_NoSensitiveValue_Null()
    {
        var state = State("Order {OrderId}", ("OrderId", 42), ("Password", null));

        Assert.Null(MessageTemplate.FindTemplateToRender(state, Keys));
    }

    [Fact]
    public void MaskMessage_FormattedMessageWithSensitiveHole_RenderedAgainAndMasked()
    {
        var masker = new SensitiveDataMasker(new SensitiveDataMaskingOptions());
        var state = State("Key {ApiKey} for {Mail}", ("ApiKey", "k-1"), ("Mail", Secrets.Email));

        Assert.Equal("Key *** for ***@***", masker.MaskMessage("Key k-1 for " + Secrets.Email, state));
    }

    private static List<KeyValuePair<string, object?>> State(string template, params (string Key, object? Value)[] values)
    {
        var state = values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)).ToList();
        state.Add(new(MessageTemplate.OriginalFormatKey, template));
        return state;
    }
}
