using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Observability.Workflows.Alerts;
using Observability.Workflows.Messaging;
using Observability.Workflows.Outbox;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Persistence;

/// <summary>
/// The workflow tables, and the source of the schema: EF Core migrations in <c>Migrations/</c> are generated from
/// this model with <c>dotnet ef migrations add</c>. Snake_case names, enums as text guarded by CHECK constraints,
/// the plan as jsonb. Key, constraint and index names are PostgreSQL's own defaults and the names the hand-written
/// SQL of schema versions 1 and 2 gave, so a database created by that SQL is exactly this model (see
/// <see cref="LegacySchemaBaseline"/>).
/// </summary>
public sealed class WorkflowsDbContext(DbContextOptions<WorkflowsDbContext> options) : DbContext(options)
{
    public DbSet<WorkflowRun> Runs => Set<WorkflowRun>();

    public DbSet<WorkflowStep> Steps => Set<WorkflowStep>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Indexes are declared where a query needs one; a foreign key alone does not get one (the steps' key
        // already starts with run_id, and alerts are read by time, not by run).
        configurationBuilder.Conventions.Remove<ForeignKeyIndexConvention>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<WorkflowRun>(run =>
        {
            run.ToTable("workflow_runs", table =>
            {
                table.HasCheckConstraint("workflow_runs_task_check", $"octet_length(task) <= {WorkflowRun.MaxTaskBytes}");
                table.HasCheckConstraint("workflow_runs_status_check", InNames<WorkflowRunStatus>("status"));
                table.HasCheckConstraint("workflow_runs_trace_id_check", "trace_id ~ '^[0-9a-f]{32}$'");
                table.HasCheckConstraint("workflow_runs_check", "(idempotency_key IS NULL) = (request_hash IS NULL)");
            });
            run.HasKey(r => r.Id).HasName("workflow_runs_pkey");
            run.Property(r => r.Status).HasConversion<string>();
            run.Property(r => r.Cost).HasColumnType("numeric(18, 6)");
            run.Property(r => r.Plan)
                .HasColumnType("jsonb")
                .HasConversion(
                    plan => JsonSerializer.Serialize(plan!, WorkflowsJsonContext.Default.WorkflowPlan),
                    json => JsonSerializer.Deserialize(json, WorkflowsJsonContext.Default.WorkflowPlan)!,
                    new ValueComparer<WorkflowPlan?>(
                        (a, b) => ReferenceEquals(a, b),
                        plan => plan == null ? 0 : plan.GetHashCode(),
                        plan => plan));
            run.Property(r => r.RowVersion).IsRowVersion();
            run.Property(r => r.TraceParent).HasColumnName("traceparent");
            ZeroByDefault(run.Property(r => r.InputTokens), run.Property(r => r.OutputTokens), run.Property(r => r.Cost), run.Property(r => r.AttemptCount));
            run.HasIndex(r => r.IdempotencyKey).IsUnique().HasFilter("idempotency_key IS NOT NULL").HasDatabaseName("ux_workflow_runs_idempotency_key");

            // Pages of a session's runs, newest first: (created_at, id) is the keyset; a status filter reads the same
            // index and filters. No index holds status: a run changes status twice (Running, then its end), and an
            // update that changes no indexed column can stay on its page without new index entries (HOT).
            run.HasIndex(r => new { r.SessionId, r.CreatedAt, r.Id }).IsDescending(false, true, true).HasDatabaseName("ix_workflow_runs_session_keyset");
        });

        modelBuilder.Entity<WorkflowStep>(step =>
        {
            step.ToTable("workflow_steps", table => table.HasCheckConstraint("workflow_steps_status_check", InNames<WorkflowStepStatus>("status")));
            step.HasKey(s => new { s.RunId, s.StepKey }).HasName("workflow_steps_pkey");
            step.Property(s => s.Status).HasConversion<string>();
            step.Property(s => s.Cost).HasColumnType("numeric(18, 6)");
            ZeroByDefault(step.Property(s => s.InputTokens), step.Property(s => s.OutputTokens), step.Property(s => s.Cost));
            step.HasOne<WorkflowRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("workflow_steps_run_id_fkey");
        });

        modelBuilder.Entity<Alert>(alert =>
        {
            alert.ToTable("alerts", table => table.HasCheckConstraint("alerts_kind_check", InNames<AlertKind>("kind")));
            alert.HasKey(a => a.Id).HasName("alerts_pkey");
            alert.Property(a => a.Kind).HasConversion<string>();
            alert.HasOne<WorkflowRun>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.SetNull).HasConstraintName("alerts_run_id_fkey");
            alert.HasIndex(a => a.CreatedAt).IsDescending().HasDatabaseName("ix_alerts_created");
        });

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("outbox_messages");
            message.HasKey(m => m.Id).HasName("outbox_messages_pkey");
            message.Property(m => m.Payload).HasColumnType("jsonb");
            message.Property(m => m.TraceParent).HasColumnName("traceparent");
            ZeroByDefault(message.Property(m => m.Attempts));

            // The relay reads the messages oldest first (a published one is deleted).
            message.HasIndex(m => new { m.CreatedAt, m.Id }).HasDatabaseName("ix_outbox_messages_created");
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.IsConcurrencyToken && property.ClrType == typeof(uint))
                {
                    // Npgsql maps a uint row version onto the system column xmin.
                    continue;
                }

                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(ToSnakeCase(property.Name));
                }
            }
        }
    }

    /// <summary>Counters start at 0 in the database, so plain SQL inserts may leave them out.</summary>
    private static void ZeroByDefault(params Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder[] properties)
    {
        foreach (var property in properties)
        {
            property.HasDefaultValueSql("0");
        }
    }

    /// <summary>A CHECK that <paramref name="column"/> holds one of the enum's names (enums are stored as text).</summary>
    private static string InNames<TEnum>(string column)
        where TEnum : struct, Enum
        => $"{column} IN ({string.Join(", ", Enum.GetNames<TEnum>().Select(name => $"'{name}'"))})";

    private static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
