namespace Observability.Hosting.ApplicationModel;

/// <summary>References, waits and configuration between resources, named as in Aspire.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>
    /// Injects how to reach <paramref name="source"/>: <c>ConnectionStrings__{name}</c> and <c>{NAME}_HOST</c>-style
    /// variables for servers and databases, <c>services__{name}__{endpoint}__{index}</c> for projects.
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source)
        where T : Resource, IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        if (source.Resource is not IResourceWithConnectionString && source.Resource.Endpoints.Count == 0)
        {
            throw new ArgumentException($"'{source.Resource.Name}' has neither a connection string nor endpoints to reference.", nameof(source));
        }

        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once every replica of <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dependency);
        builder.Resource.WaitsForHealthy.Add(dependency.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> (a one-shot job) has finished with exit code 0.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dependency);
        builder.Resource.WaitsForCompletion.Add(dependency.Resource);
        return builder;
    }

    /// <summary>Sets an environment variable of every replica.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : Resource, IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.EnvironmentVariables[name] = () => value;
        return builder;
    }

    /// <summary>Sets an environment variable to a parameter's value (resolved when the resource starts).</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : Resource, IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(parameter);
        builder.Resource.EnvironmentVariables[name] = () => parameter.Resource.Value;
        return builder;
    }
}
