using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Exports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ExportRetentionHours",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: 24); // existing workspaces keep files for a day

            migrationBuilder.AddColumn<int>(
                name: "ExportRowLimit",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: 50000); // the seed's maxRecords

            migrationBuilder.AddColumn<bool>(
                name: "ExportsAdminOnly",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ExportFieldSets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Object = table.Column<int>(type: "INTEGER", nullable: false),
                    Fields = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportFieldSets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExportFieldSets_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ExportJobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Format = table.Column<int>(type: "INTEGER", nullable: false),
                    Parts = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    ExcelFriendly = table.Column<bool>(type: "INTEGER", nullable: false),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsWritten = table.Column<int>(type: "INTEGER", nullable: false),
                    FileKey = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    FileSize = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AdminOnly = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RunnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedByUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExportJobs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExportFieldSets_WorkspaceId_Object_Name",
                table: "ExportFieldSets",
                columns: new[] { "WorkspaceId", "Object", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExportJobs_Status_ExpiresAt",
                table: "ExportJobs",
                columns: new[] { "Status", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExportJobs_WorkspaceId_CreatedAt",
                table: "ExportJobs",
                columns: new[] { "WorkspaceId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExportFieldSets");

            migrationBuilder.DropTable(
                name: "ExportJobs");

            migrationBuilder.DropColumn(
                name: "ExportRetentionHours",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "ExportRowLimit",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "ExportsAdminOnly",
                table: "Workspaces");
        }
    }
}
