namespace Observability.Hosting.ApplicationModel;

/// <summary>Adds parameters: values from configuration, or generated passwords.</summary>
public static class ParameterBuilderExtensions
{
    /// <summary>A parameter read from configuration <c>Parameters:{name}</c>; starting fails with a clear message when it is missing.</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this DistributedApplicationBuilder builder, string name, bool secret = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        return builder.AddResource(new ParameterResource(
            name,
            () => configuration[$"Parameters:{name}"]
                ?? throw new InvalidOperationException($"Parameter '{name}' has no value: set configuration key 'Parameters:{name}' (environment variable Parameters__{name})."),
            secret));
    }

    /// <summary>A password: from configuration <c>Parameters:{name}</c> when set, else generated once and kept per user.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedPassword(this DistributedApplicationBuilder builder, string name, int length = 22)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        return builder.AddResource(new ParameterResource(
            name,
            () => configuration[$"Parameters:{name}"] ?? builder.ParameterStore.GetOrGenerate(name, length),
            secret: true));
    }
}
