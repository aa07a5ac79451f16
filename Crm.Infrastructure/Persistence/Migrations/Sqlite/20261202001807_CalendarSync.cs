using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CalendarUserIds",
                table: "Activities",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CancelledAt",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsAllDay",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsPrivate",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MeetingKey",
                table: "Activities",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Activities",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CalendarEventLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<long>(type: "INTEGER", nullable: false),
                    CalendarId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: true),
                    OwnerOrganizes = table.Column<bool>(type: "INTEGER", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: true),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false)
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
