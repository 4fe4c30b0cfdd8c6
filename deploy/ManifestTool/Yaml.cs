using YamlDotNet.Serialization;

namespace Observability.Deploy.ManifestTool;

/// <summary>YAML out of ordered dictionaries; strings that would read as numbers or booleans are quoted.</summary>
internal static class Yaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    public static string Serialize(object document) => Serializer.Serialize(document);

    /// <summary>An ordered map: the writers build every document from these, so the output keeps their order.</summary>
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }
}
