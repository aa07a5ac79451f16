using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    SubjectId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Done = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RunnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RequestedByUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NotBefore = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true)
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

            migrationBuilder.AddColumn<long>(
                name: "DuplicateScanFinishedAt",
                table: "Workspaces",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateScanMilliseconds",
                table: "Workspaces",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DuplicateScanPairs",
                table: "Workspaces",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DuplicateScanStartedAt",
                table: "Workspaces",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "HeartbeatAt",
                table: "ExportJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RunnerId",
                table: "ExportJobs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }
    }
}
