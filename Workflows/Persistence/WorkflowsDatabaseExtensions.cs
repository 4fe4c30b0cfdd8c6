using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Observability.Workflows.Alerts;
using Observability.Workflows.Migrations;
using Observability.Workflows.Outbox;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Persistence;

/// <summary>Wires the workflow database into a service: options, data source, pooled DbContext, migrations, health.</summary>
public static class WorkflowsDatabaseExtensions
{
    /// <summary>The name of the readiness health check.</summary>
    public const string HealthCheckName = "workflows-db";

    /// <summary>
    /// Registers the workflow database from <c>ConnectionStrings:{connectionName}</c> and <c>Workflows:Database</c>:
    /// a pooled <see cref="WorkflowsDbContext"/>, the run store and queries, start-up migrations and a health check
    /// tagged <c>ready</c>. Options are validated when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowsDatabase(this IHostApplicationBuilder builder, string connectionName = "workflows")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        builder.Services.AddOptions<WorkflowsDatabaseOptions>()
            .BindConfiguration(WorkflowsDatabaseOptions.SectionName)
            .Configure(options => options.ConnectionString ??= builder.Configuration.GetConnectionString(connectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WorkflowsDatabaseOptions>>(new ValidateWorkflowsDatabaseOptions(connectionName));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WorkflowsDatabaseOptions>>().Value;
            var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString)
            {
                CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
            };
            return new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
        });
        builder.Services.AddDbContextPool<WorkflowsDbContext>((sp, options) => options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));

        builder.Services.TryAddSingleton<SchemaMigrator>();
        builder.Services.AddHostedService<SchemaMigrationHostedService>();
        builder.Services.TryAddScoped<WorkflowRunStore>();
        builder.Services.TryAddScoped<WorkflowRunQueries>();
        builder.Services.TryAddScoped<WorkflowStepStore>();
        builder.Services.TryAddScoped<AlertStore>();
        builder.Services.TryAddScoped<OutboxRelay>();

        builder.Services.AddHealthChecks().AddCheck<WorkflowsDatabaseHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }
}
