using Observability.ServiceDefaults.Masking;

namespace Observability.ServiceDefaults.Tests.Masking;

public sealed class MaskingScopeProviderTests
{
    private static readonly SensitiveDataMasker Masker = new(new SensitiveDataMaskingOptions());

    [Fact]
    public void ForEachScope_ScopesWithSecrets_ReadMasked()
    {
        var provider = new MaskingScopeProvider(Masker);
        using var first = provider.Push("request from " + Secrets.Email);
        using var second = provider.Push(new Dictionary<string, object?> { ["tenant"] = "t-1", ["api_key"] = Secrets.ApiKey });

        var seen = Collect(provider);

        Assert.Equal(2, seen.Count);
        Assert.Equal("request from ***@***", seen[0]);
        var properties = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<string, object?>>>(seen[1]);
        Assert.Equal([new("tenant", "t-1"), new("api_key", "***")], properties);
    }

    [Fact]
    public void ForEachScope_OrdinaryScope_SameInstance()
    {
        var provider = new MaskingScopeProvider(Masker);
        var scope = new List<KeyValuePair<string, object?>> { new("RequestPath", "/orders/42") };
        using var pushed = provider.Push(scope);

        Assert.Same(scope, Assert.Single(Collect(provider)));
    }

    [Fact]
    public void Push_Disposed_ScopeGone()
    {
        var provider = new MaskingScopeProvider(Masker);
        provider.Push("outer").Dispose();

        Assert.Empty(Collect(provider));
    }

    private static List<object?> Collect(MaskingScopeProvider provider)
    {
        var seen = new List<object?>();
        provider.ForEachScope((scope, list) => list.Add(scope), seen);
        return seen;
    }
}
