using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Runs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DuplicateScanFinishedAt",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "DuplicateScanMilliseconds",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "DuplicateScanPairs",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "DuplicateScanStartedAt",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "HeartbeatAt",
                table: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "RunnerId",
                table: "ExportJobs");

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<int>(type: "int", nullable: false),
                    SubjectId = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    Stage = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Done = table.Column<long>(type: "bigint", nullable: false),
                    Total = table.Column<long>(type: "bigint", nullable: true),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RunnerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    Failures = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    RequestedByUserId = table.Column<long>(type: "bigint", nullable: true),
                    QueuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Summary = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    Result = table.Column<string>(type: "nvarchar(max)", maxLength: 10000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Runs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status",
                table: "Runs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_WorkspaceId_Kind_SubjectId",
                table: "Runs",
                columns: new[] { "WorkspaceId", "Kind", "SubjectId" });

            // Exports asked for or being written when the app was upgraded get a queued run: the rescue job hands them out.
            migrationBuilder.Sql(
                "INSERT INTO \"Runs\" (\"WorkspaceId\", \"Kind\", \"SubjectId\", \"Status\", \"Done\", \"Total\", \"Attempts\", \"Failures\", \"QueuedAt\", \"RequestedByUserId\") " +
                "SELECT \"WorkspaceId\", 2, \"Id\", 0, 0, \"TotalRows\", 0, 0, \"CreatedAt\", \"CreatedByUserId\" FROM \"ExportJobs\" WHERE \"Status\" IN (0, 1)");
            migrationBuilder.Sql("UPDATE \"ExportJobs\" SET \"Status\" = 0 WHERE \"Status\" = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DuplicateScanFinishedAt",
                table: "Workspaces",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateScanMilliseconds",
                table: "Workspaces",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateScanPairs",
                table: "Workspaces",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DuplicateScanStartedAt",
                table: "Workspaces",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "ExportJobs",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HeartbeatAt",
                table: "ExportJobs",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RunnerId",
                table: "ExportJobs",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);
        }
    }
}
