using System.Text;

namespace Observability.Deploy.ManifestTool.Manifest;

/// <summary>A manifest expression resolved for a deployment: literal text and references to parameters.</summary>
internal sealed class ResolvedValue
{
    private readonly List<object> _parts = [];

    /// <summary>The parts in order: a <see cref="string"/> is literal text, a <see cref="ParameterReference"/> a parameter.</summary>
    public IReadOnlyList<object> Parts => _parts;

    /// <summary>The parameters this value needs, each once.</summary>
    public IEnumerable<string> Parameters => _parts.OfType<ParameterReference>().Select(p => p.Name).Distinct(StringComparer.Ordinal);

    /// <summary>True when the value is exactly one parameter and nothing else.</summary>
    public bool IsSingleParameter => _parts is [ParameterReference];

    public void Append(string literal)
    {
        if (literal.Length > 0)
        {
            _parts.Add(literal);
        }
    }

    public void Append(ResolvedValue value) => _parts.AddRange(value._parts);

    public void AppendParameter(string name) => _parts.Add(new ParameterReference(name));

    /// <summary>Renders the value, writing each parameter with <paramref name="parameter"/> and each literal with <paramref name="literal"/>.</summary>
    public string Render(Func<string, string> parameter, Func<string, string>? literal = null)
    {
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part is ParameterReference reference ? parameter(reference.Name) : literal is null ? (string)part : literal((string)part));
        }

        return text.ToString();
    }
}

/// <summary>A reference to a parameter resource's value.</summary>
internal sealed record ParameterReference(string Name);
