using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observability.Workflows.Migrations
{
    /// <inheritdoc />
    public partial class RunStatusOutOfIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_workflow_runs_session_status_keyset",
                table: "workflow_runs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_workflow_runs_session_status_keyset",
                table: "workflow_runs",
                columns: new[] { "session_id", "status", "created_at", "id" },
                descending: new[] { false, false, true, true });
        }
    }
}
