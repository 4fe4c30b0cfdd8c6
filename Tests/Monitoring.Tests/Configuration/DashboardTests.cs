using System.Text.Json;

namespace Observability.Monitoring.Tests.Configuration;

/// <summary>The Grafana dashboards: Grafana 10+ JSON, one Prometheus data source variable, no data source uid baked in.</summary>
public sealed class DashboardTests
{
    /// <summary>schemaVersion 38 is what Grafana 10.0 writes.</summary>
    private const int Grafana10SchemaVersion = 38;

    public static TheoryData<string> Dashboards => new(MonitoringFiles.DashboardFiles.Select(Path.GetFileName)!);

    [Fact]
    public void Dashboards_TheSixOfTheIssue_Exist()
    {
        Assert.Equal(
            ["api-performance.json", "infrastructure.json", "llm-providers.json", "system-overview.json", "websocket.json", "workflows.json"],
            MonitoringFiles.DashboardFiles.Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_Json_IsGrafana10WithADatasourceVariableAndNoHardCodedUid(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(MonitoringFiles.DashboardsFolder, file)));
        var root = json.RootElement;

        Assert.True(root.GetProperty("schemaVersion").GetInt32() >= Grafana10SchemaVersion);
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        var variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray(), v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("datasource", variable.GetProperty("name").GetString());
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());

        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var element in Descendants(root).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("datasource", out _)))
        {
            var datasource = element.GetProperty("datasource");
            Assert.Equal("prometheus", datasource.GetProperty("type").GetString());
            Assert.Equal("${datasource}", datasource.GetProperty("uid").GetString());
        }

        var queries = panels.Where(p => p.TryGetProperty("targets", out _)).SelectMany(p => p.GetProperty("targets").EnumerateArray()).ToArray();
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.False(string.IsNullOrWhiteSpace(q.GetProperty("expr").GetString())));
    }

    [Fact]
    public void Dashboards_Uids_AreUnique()
    {
        var uids = MonitoringFiles.DashboardFiles.Select(f =>
        {
            using var json = JsonDocument.Parse(File.ReadAllText(f));
            return json.RootElement.GetProperty("uid").GetString();
        }).ToArray();

        Assert.Equal(uids.Length, uids.Distinct(StringComparer.Ordinal).Count());
    }

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Descendants))
        {
            yield return child;
        }
    }
}
