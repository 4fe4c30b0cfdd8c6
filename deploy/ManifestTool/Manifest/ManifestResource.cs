using System.Text.Json;

namespace Observability.Deploy.ManifestTool.Manifest;

/// <summary>One resource of the manifest: the fields the generator reads.</summary>
internal sealed record ManifestResource(
    string Name,
    string Type,
    string? ConnectionString,
    string? Value,
    string? Image,
    string? Entrypoint,
    string? ProjectPath,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    IReadOnlyDictionary<string, ManifestBinding> Bindings,
    bool IsSecret)
{
    public bool IsProject => Type.StartsWith("project.", StringComparison.Ordinal);

    public bool IsContainer => Type.StartsWith("container.", StringComparison.Ordinal);

    public bool IsParameter => Type.StartsWith("parameter.", StringComparison.Ordinal);

    public static ManifestResource Parse(string name, JsonElement element)
    {
        var env = new List<KeyValuePair<string, string>>();
        if (element.TryGetProperty("env", out var envElement))
        {
            env.AddRange(envElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? "")));
        }

        var bindings = new Dictionary<string, ManifestBinding>(StringComparer.Ordinal);
        if (element.TryGetProperty("bindings", out var bindingsElement))
        {
            foreach (var binding in bindingsElement.EnumerateObject())
            {
                bindings[binding.Name] = new ManifestBinding(
                    binding.Name,
                    String(binding.Value, "scheme") ?? "tcp",
                    String(binding.Value, "transport") ?? "tcp",
                    binding.Value.TryGetProperty("targetPort", out var port) ? port.GetInt32() : null);
            }
        }

        var args = element.TryGetProperty("args", out var argsElement)
            ? argsElement.EnumerateArray().Select(a => a.GetString() ?? "").ToList()
            : [];
        var isSecret = element.TryGetProperty("inputs", out var inputs)
            && inputs.EnumerateObject().Any(i => i.Value.TryGetProperty("secret", out var secret) && secret.GetBoolean());

        return new ManifestResource(
            name,
            String(element, "type") ?? throw new InvalidOperationException($"Resource '{name}' has no type."),
            String(element, "connectionString"),
            String(element, "value"),
            String(element, "image"),
            String(element, "entrypoint"),
            String(element, "path"),
            args,
            env,
            bindings,
            isSecret);
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>An endpoint of a resource (<c>bindings.NAME</c>).</summary>
internal sealed record ManifestBinding(string Name, string Scheme, string Transport, int? TargetPort);
