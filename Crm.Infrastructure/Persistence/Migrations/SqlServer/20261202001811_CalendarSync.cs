using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CalendarSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CalendarSettings",
                table: "Integrations",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CalendarUserIds",
                table: "Activities",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CancelledAt",
                table: "Activities",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsAllDay",
                table: "Activities",
                type: "bit",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsPrivate",
                table: "Activities",
                type: "bit",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MeetingKey",
                table: "Activities",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Activities",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CalendarEventLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<long>(type: "bigint", nullable: false),
                    CalendarId = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    EventId = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Version = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Outcome = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    ActivityId = table.Column<long>(type: "bigint", nullable: true),
                    OwnerOrganizes = table.Column<bool>(type: "bit", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    SeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarEventLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CalendarEventLinks_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_CalendarEventLinks_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CalendarEventLinks_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_WorkspaceId_MeetingKey",
                table: "Activities",
                columns: new[] { "WorkspaceId", "MeetingKey" },
                unique: true,
                filter: "\"MeetingKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CalendarEventLinks_ActivityId",
                table: "CalendarEventLinks",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_CalendarEventLinks_IntegrationId_EventId_CalendarId",
                table: "CalendarEventLinks",
                columns: new[] { "IntegrationId", "EventId", "CalendarId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalendarEventLinks_WorkspaceId",
                table: "CalendarEventLinks",
                column: "WorkspaceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarEventLinks");

            migrationBuilder.DropIndex(
                name: "IX_Activities_WorkspaceId_MeetingKey",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "CalendarSettings",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "CalendarUserIds",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "IsAllDay",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "IsPrivate",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "MeetingKey",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Activities");
        }
    }
}
