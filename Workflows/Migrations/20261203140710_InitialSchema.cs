using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observability.Workflows.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    stream = table.Column<string>(type: "text", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    traceparent = table.Column<string>(type: "text", nullable: true),
                    baggage = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false, defaultValueSql: "0")
                },
                constraints: table =>
                {
                    table.PrimaryKey("outbox_messages_pkey", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "workflow_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    session_id = table.Column<string>(type: "text", nullable: false),
                    task = table.Column<string>(type: "text", nullable: false),
                    agent = table.Column<string>(type: "text", nullable: true),
                    model = table.Column<string>(type: "text", nullable: true),
                    mode = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    idempotency_key = table.Column<string>(type: "text", nullable: true),
                    request_hash = table.Column<string>(type: "text", nullable: true),
                    trace_id = table.Column<string>(type: "text", nullable: true),
                    correlation_id = table.Column<string>(type: "text", nullable: true),
                    plan = table.Column<string>(type: "jsonb", nullable: true),
                    quality_score = table.Column<double>(type: "double precision", nullable: true),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    cost = table.Column<decimal>(type: "numeric(18,6)", nullable: false, defaultValueSql: "0"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempt_count = table.Column<int>(type: "integer", nullable: false, defaultValueSql: "0"),
                    dead_letter_reason = table.Column<string>(type: "text", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("workflow_runs_pkey", x => x.id);
                    table.CheckConstraint("workflow_runs_check", "(idempotency_key IS NULL) = (request_hash IS NULL)");
                    table.CheckConstraint("workflow_runs_status_check", "status IN ('Queued', 'Running', 'Completed', 'Failed', 'Cancelled', 'DeadLettered')");
                    table.CheckConstraint("workflow_runs_task_check", "octet_length(task) <= 32768");
                    table.CheckConstraint("workflow_runs_trace_id_check", "trace_id ~ '^[0-9a-f]{32}$'");
                });

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "text", nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false),
                    observed_value = table.Column<double>(type: "double precision", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("alerts_pkey", x => x.id);
                    table.CheckConstraint("alerts_kind_check", "kind IN ('WorkflowDuration', 'StepDuration', 'LlmCallDuration', 'CostPerWorkflow', 'ErrorRate')");
                    table.ForeignKey(
                        name: "alerts_run_id_fkey",
                        column: x => x.run_id,
                        principalTable: "workflow_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "workflow_steps",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step_key = table.Column<string>(type: "text", nullable: false),
                    agent = table.Column<string>(type: "text", nullable: true),
                    explanation = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "0"),
                    cost = table.Column<decimal>(type: "numeric(18,6)", nullable: false, defaultValueSql: "0"),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("workflow_steps_pkey", x => new { x.run_id, x.step_key });
                    table.CheckConstraint("workflow_steps_status_check", "status IN ('Pending', 'Running', 'Completed', 'Failed', 'Skipped')");
                    table.ForeignKey(
                        name: "workflow_steps_run_id_fkey",
                        column: x => x.run_id,
                        principalTable: "workflow_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alerts_created",
                table: "alerts",
                column: "created_at",
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                column: "created_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_workflow_runs_session_keyset",
                table: "workflow_runs",
                columns: new[] { "session_id", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_workflow_runs_session_status_keyset",
                table: "workflow_runs",
                columns: new[] { "session_id", "status", "created_at", "id" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "ux_workflow_runs_idempotency_key",
                table: "workflow_runs",
                column: "idempotency_key",
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "workflow_steps");

            migrationBuilder.DropTable(
                name: "workflow_runs");
        }
    }
}
