using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Observability.Workflows.Alerts;
using Observability.Workflows.Messaging;
using Observability.Workflows.Outbox;
using Observability.Workflows.Runs;
using Observability.Workflows.Steps;

namespace Observability.Workflows.Persistence;

/// <summary>
/// The workflow tables. The schema itself is owned by the SQL scripts in <c>Migrations/</c> (applied by
/// <see cref="Migrations.SchemaMigrator"/>); this model maps onto it: snake_case names, enums as text, the plan as jsonb.
/// </summary>
public sealed class WorkflowsDbContext(DbContextOptions<WorkflowsDbContext> options) : DbContext(options)
{
    public DbSet<WorkflowRun> Runs => Set<WorkflowRun>();

    public DbSet<WorkflowStep> Steps => Set<WorkflowStep>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<WorkflowRun>(run =>
        {
            run.ToTable("workflow_runs");
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
        });

        modelBuilder.Entity<WorkflowStep>(step =>
        {
            step.ToTable("workflow_steps");
            step.HasKey(s => new { s.RunId, s.StepKey });
            step.Property(s => s.Status).HasConversion<string>();
            step.Property(s => s.Cost).HasColumnType("numeric(18, 6)");
            step.HasOne<WorkflowRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Alert>(alert =>
        {
            alert.ToTable("alerts");
            alert.Property(a => a.Kind).HasConversion<string>();
            alert.HasOne<WorkflowRun>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("outbox_messages");
            message.Property(m => m.Payload).HasColumnType("jsonb");
            message.Property(m => m.TraceParent).HasColumnName("traceparent");
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
