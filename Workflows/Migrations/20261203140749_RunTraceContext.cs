using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observability.Workflows.Migrations
{
    /// <inheritdoc />
    public partial class RunTraceContext : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "baggage",
                table: "workflow_runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "traceparent",
                table: "workflow_runs",
                type: "text",
                nullable: true);

            // Runs submitted before this migration: their context is the one their first outbox job carried.
            migrationBuilder.Sql("""
                UPDATE workflow_runs AS r SET traceparent = m.traceparent, baggage = m.baggage
                FROM (SELECT DISTINCT ON (payload->>'runId') payload->>'runId' AS run_id, traceparent, baggage
                      FROM outbox_messages WHERE stream = 'workflows.jobs'
                      ORDER BY payload->>'runId', created_at) AS m
                WHERE m.run_id = r.id::text;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "baggage",
                table: "workflow_runs");

            migrationBuilder.DropColumn(
                name: "traceparent",
                table: "workflow_runs");
        }
    }
}
