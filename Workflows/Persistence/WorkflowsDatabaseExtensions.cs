using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Observability.Workflows.Alerts;
using Observability.Workflows.Outbox;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Persistence;

/// <summary>Wires the workflow database into a service through Aspire's PostgreSQL client integrations.</summary>
public static class WorkflowsDatabaseExtensions
{
    /// <summary>The connection name (<c>ConnectionStrings:workflows</c>), the database resource's name in the AppHost.</summary>
    public const string ConnectionName = "workflows";

    /// <summary>The name of the <c>NpgsqlDataSource</c> health check <c>AddNpgsqlDataSource</c> registers.</summary>
    public const string DataSourceHealthCheckName = "PostgreSql";

    /// <summary>The name of the DbContext health check <c>AddNpgsqlDbContext</c> registers.</summary>
    public const string DbContextHealthCheckName = nameof(WorkflowsDbContext);

    /// <summary>The tag that puts a health check in the readiness probe (ServiceDefaults' <c>HealthTags.Ready</c>).</summary>
    private const string ReadyTag = "ready";

    /// <summary>
    /// The data source's connections plan a prepared statement once, generically (<c>plan_cache_mode</c>), instead of
    /// PostgreSQL's default (<c>auto</c>: a plan for each of the first five executions, then, for as long as the generic
    /// plan's estimated cost exceeds the custom plans' average, a new plan on every execution). Under <c>auto</c> the
    /// step completion was re-planned on every execution by many connections: its custom plan drops the run-finishing
    /// part when that flag is false, so it looks cheaper than the generic plan, which keeps the part behind a one-time
    /// filter. The statements on this data source (the hot path, the performance summary, the worker's Redis
    /// reconciliation) have the same plan shape generic and custom. Sent as a startup option, so every physical
    /// connection has it; an <c>Options</c> value of the connection string comes after it, and so wins.
    /// </summary>
    internal const string GenericPlansOption = "-c plan_cache_mode=force_generic_plan";

    /// <summary>
    /// Registers the workflow database from <c>ConnectionStrings:workflows</c> and <c>Workflows:Database</c>:
    /// Aspire's <c>AddNpgsqlDbContext&lt;WorkflowsDbContext&gt;</c> (pooled contexts, as many as the connection string's
    /// Maximum Pool Size) and <c>AddNpgsqlDataSource</c> (the
    /// <see cref="Npgsql.NpgsqlDataSource"/> of the hot-path SQL), with their health checks tagged <c>ready</c>,
    /// Npgsql tracing and metrics; the run stores and queries (the worker's <see cref="RunExecutionStore"/> with the
    /// <see cref="StatementBatcher"/> its hot statements go through); and start-up migrations. Options are validated
    /// when the host starts.
    /// </summary>
    public static IHostApplicationBuilder AddWorkflowsDatabase(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddOptions<WorkflowsDatabaseOptions>()
            .BindConfiguration(WorkflowsDatabaseOptions.SectionName)
            .Configure(options => options.ConnectionString ??= builder.Configuration.GetConnectionString(ConnectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowsDatabaseOptions>, ValidateWorkflowsDatabaseOptions>());

        // The integrations take their settings when registered, so the timeout is read here too; its range is
        // checked with the other options at start.
        var commandTimeout = builder.Configuration.GetSection(WorkflowsDatabaseOptions.SectionName)
            .GetValue(nameof(WorkflowsDatabaseOptions.CommandTimeout), new WorkflowsDatabaseOptions().CommandTimeout);
        var commandTimeoutSeconds = (int)Math.Ceiling(Math.Clamp(commandTimeout.TotalSeconds, 1, 600));

        // The worker's hot path (RunExecutionStore) runs a few statements many times: each connection prepares
        // them once (Max Auto Prepare), and since none leaves session state behind, a connection going back to
        // the pool is not reset (No Reset On Close saves PostgreSQL a DISCARD ALL per statement). Prepared, they
        // are also planned once: see GenericPlansOption.
        builder.AddNpgsqlDataSource(ConnectionName, configureDataSourceBuilder: dataSource =>
        {
            var connection = dataSource.ConnectionStringBuilder;
            connection.CommandTimeout = commandTimeoutSeconds;
            connection.MaxAutoPrepare = 16;
            connection.AutoPrepareMinUsages = 2;
            connection.NoResetOnClose = true;
            connection.Options = string.IsNullOrWhiteSpace(connection.Options) ? GenericPlansOption : $"{GenericPlansOption} {connection.Options}";

            // The StatementBatcher's batches carry statements of many runs: each has its own span in its run's trace,
            // so Npgsql's span of the whole batch (a root span, its text every statement's) is left out.
            dataSource.ConfigureTracing(tracing => tracing.ConfigureBatchFilter(static _ => !StatementBatcher.IsSending));
        });

        // No retrying execution strategy: every change here is one compare-and-set (or a transaction the stores
        // begin themselves, which a retrying strategy refuses); after a lost connection its outcome is unknown,
        // and a blind retry would report a change it made as refused. The job redelivery retries instead.
        builder.AddNpgsqlDbContext<WorkflowsDbContext>(ConnectionName, settings =>
        {
            settings.DisableRetry = true;
            settings.CommandTimeout = commandTimeoutSeconds;
        });

        // The context pool keeps no more contexts than the connection string lets the process hold connections
        // (Npgsql's Maximum Pool Size, 100 by default) instead of EF Core's default of 1,024 that AddNpgsqlDbContext
        // keeps: a pool retains the contexts of the highest concurrency it has seen, and contexts beyond the connections
        // can only wait for one. Those beyond are created and disposed as without pooling. Overrides the pool size
        // AddDbContextPool configured, as EF Core documents for a later ConfigureDbContext.
        var maxContexts = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString(ConnectionName)).MaxPoolSize;
        builder.Services.ConfigureDbContext<WorkflowsDbContext>(
            options => ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(
                (options.Options.FindExtension<CoreOptionsExtension>() ?? new CoreOptionsExtension()).WithMaxPoolSize(maxContexts)),
            ServiceLifetime.Singleton);

        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                if (registration.Name is DataSourceHealthCheckName or DbContextHealthCheckName)
                {
                    registration.Tags.Add(ReadyTag);
                }
            }
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<WorkflowsMigrationService>();
        builder.Services.TryAddSingleton<StatementBatcher>();
        builder.Services.TryAddSingleton(services => new RunExecutionStore(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<StatementBatcher>(), services.GetRequiredService<TimeProvider>()));
        builder.Services.TryAddScoped<WorkflowRunStore>();
        builder.Services.TryAddScoped<WorkflowRunQueries>();
        builder.Services.TryAddScoped<WorkflowStepStore>();
        builder.Services.TryAddScoped<AlertStore>();
        builder.Services.TryAddScoped<OutboxRelay>();
        return builder;
    }
}
