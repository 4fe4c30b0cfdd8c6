using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Observability.Workflows.Migrations
{
    /// <inheritdoc />
    public partial class OutboxDeletesPublished : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Messages published before this migration were kept, marked by sent_at; without the column they would
            // look unpublished and be published again, so they go first.
            migrationBuilder.Sql("DELETE FROM outbox_messages WHERE sent_at IS NOT NULL;");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "sent_at",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_created",
                table: "outbox_messages",
                columns: new[] { "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_created",
                table: "outbox_messages");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "sent_at",
                table: "outbox_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                column: "created_at",
                filter: "sent_at IS NULL");
        }
    }
}
