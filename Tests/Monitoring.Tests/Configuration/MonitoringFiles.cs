using System.Reflection;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Observability.Monitoring.Tests.Configuration;

/// <summary>The checked-in monitoring configuration: paths, rules and dashboards, read the way the tools read them.</summary>
internal static class MonitoringFiles
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = typeof(MonitoringFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Monitoring => Path.Combine(Root, "monitoring");

    public static string PrometheusFolder => Path.Combine(Monitoring, "prometheus");

    public static string RulesFolder => Path.Combine(PrometheusFolder, "rules");

    public static string AlertmanagerConfig => Path.Combine(Monitoring, "alertmanager", "alertmanager.yml");

    public static string DashboardsFolder => Path.Combine(Monitoring, "grafana", "dashboards");

    public static IReadOnlyList<string> RuleFiles => Directory.GetFiles(RulesFolder, "*.yml").Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> RuleTestFiles =>
        Directory.GetFiles(Path.Combine(PrometheusFolder, "tests"), "*.test.yml").Order(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> DashboardFiles => Directory.GetFiles(DashboardsFolder, "*.json").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every rule of every rule file.</summary>
    public static IReadOnlyList<Rule> Rules()
    {
        var rules = new List<Rule>();
        foreach (var file in RuleFiles)
        {
            foreach (var group in Children(Load(file), "groups"))
            {
                foreach (var node in Children((YamlMappingNode)group, "rules"))
                {
                    var rule = (YamlMappingNode)node;
                    rules.Add(new Rule(
                        Scalar(rule, "alert"),
                        Scalar(rule, "record"),
                        Scalar(rule, "expr") ?? throw new InvalidOperationException($"A rule of {file} has no expr."),
                        Map(rule, "labels"),
                        Map(rule, "annotations")));
                }
            }
        }

        return rules;
    }

    /// <summary>Every panel query of every dashboard.</summary>
    public static IReadOnlyList<PanelQuery> PanelQueries()
    {
        var queries = new List<PanelQuery>();
        foreach (var file in DashboardFiles)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var dashboard = Path.GetFileNameWithoutExtension(file);
            foreach (var panel in json.RootElement.GetProperty("panels").EnumerateArray())
            {
                if (!panel.TryGetProperty("targets", out var targets))
                {
                    continue;
                }

                foreach (var target in targets.EnumerateArray())
                {
                    queries.Add(new PanelQuery(dashboard, panel.GetProperty("title").GetString()!, target.GetProperty("refId").GetString()!, target.GetProperty("expr").GetString()!));
                }
            }
        }

        return queries;
    }

    public static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public static IEnumerable<YamlNode> Children(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence ? sequence.Children : [];

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static Dictionary<string, string> Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlMappingNode map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>An alerting (<see cref="Alert"/>) or recording (<see cref="Record"/>) rule.</summary>
internal sealed record Rule(string? Alert, string? Record, string Expr, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations)
{
    public string Name => Alert ?? Record!;
}

/// <summary>One query of one dashboard panel.</summary>
internal sealed record PanelQuery(string Dashboard, string Panel, string RefId, string Expr)
{
    public override string ToString() => $"{Dashboard} / {Panel} / {RefId}";
}
