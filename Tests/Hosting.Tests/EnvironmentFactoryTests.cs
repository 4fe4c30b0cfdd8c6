using Microsoft.Extensions.Hosting.Internal;
using Observability.Hosting.ApplicationModel;
using Observability.Hosting.Logs;
using Observability.Hosting.Orchestration;
using Observability.Hosting.Postgres;

namespace Observability.Hosting.Tests;

public sealed class EnvironmentFactoryTests
{
    [Fact]
    public void Create_OtlpEndpointConfigured_InjectsExporterVariables()
    {
        var options = new HostingOptions
        {
            StateDirectory = Path.GetTempPath(),
            OtlpEndpoint = new Uri("http://127.0.0.1:4317"),
            OtlpProtocol = "http/protobuf",
            OtlpHeaders = "x-otlp-api-key=secret",
        };

        var environment = Create(options, "Development", new ExecutableResource("job", "true", ".", []));

        Assert.Equal("http://127.0.0.1:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("x-otlp-api-key=secret", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("1000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
    }

    [Fact]
    public void Create_Production_KeepsTheSdkExportDelays()
    {
        var environment = Create(new HostingOptions { StateDirectory = Path.GetTempPath() }, "Production", new ExecutableResource("job", "true", ".", []));

        Assert.Equal("Production", environment["DOTNET_ENVIRONMENT"]);
        Assert.False(environment.ContainsKey("OTEL_BSP_SCHEDULE_DELAY"));
        Assert.False(environment.ContainsKey("OTEL_METRIC_EXPORT_INTERVAL"));
        Assert.Null(environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Fact]
    public void Create_DatabaseReference_InjectsConnectionStringAndParts()
    {
        var password = new ParameterResource("pg-password", () => "p@ss", secret: true);
        var server = new PostgresServerResource("pg", password);
        var database = new PostgresDatabaseResource("app-db", "appdb", server);
        var job = new ExecutableResource("job", "true", ".", []);
        job.References.Add(database);
        PortAllocator.Allocate([server], randomize: true);
        var port = server.Endpoint("tcp").Port(0).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var environment = Create(new HostingOptions { StateDirectory = Path.GetTempPath() }, "Development", job);

        Assert.Equal($"Host=127.0.0.1;Port={port};Username=postgres;Password=p@ss;Database=appdb", environment["ConnectionStrings__app-db"]);
        Assert.Equal("127.0.0.1", environment["APP_DB_HOST"]);
        Assert.Equal(port, environment["APP_DB_PORT"]);
        Assert.Equal("postgres", environment["APP_DB_USERNAME"]);
        Assert.Equal("p@ss", environment["APP_DB_PASSWORD"]);
        Assert.Equal("appdb", environment["APP_DB_DATABASENAME"]);
        Assert.Equal($"postgresql://postgres:p%40ss@127.0.0.1:{port}/appdb", environment["APP_DB_URI"]);
    }

    private static Dictionary<string, string?> Create(HostingOptions options, string environmentName, Resource resource)
    {
        using var host = new HostingContext(options, new HostingEnvironment { EnvironmentName = environmentName }, TimeProvider.System);
        var context = new ReplicaContext(resource, 0, "abcde", host, new ResourceLogBuffer(10, TimeProvider.System));
        return EnvironmentFactory.Create(resource, context);
    }
}
