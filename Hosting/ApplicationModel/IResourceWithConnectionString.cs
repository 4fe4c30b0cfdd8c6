namespace Observability.Hosting.ApplicationModel;

/// <summary>A resource that other resources reach through a connection string (<c>ConnectionStrings__{name}</c>).</summary>
public interface IResourceWithConnectionString
{
    /// <summary>The resource name, the key of the connection string.</summary>
    string Name { get; }

    /// <summary>The connection string in the form Aspire's client integrations read.</summary>
    string GetConnectionString();

    /// <summary>The parts injected as <c>{NAME}_HOST</c>, <c>_PORT</c>, <c>_PASSWORD</c>, <c>_URI</c> (keys without the prefix).</summary>
    IEnumerable<KeyValuePair<string, string>> GetConnectionProperties();
}
