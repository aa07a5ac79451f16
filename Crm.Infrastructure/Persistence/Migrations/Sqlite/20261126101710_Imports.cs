using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Imports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Deals_WorkspaceId_AccountId",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Deals_WorkspaceId_OwnerId",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId_AccountId",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId_OwnerId",
                table: "Contacts");

            migrationBuilder.AddColumn<long>(
                name: "CreatedByImportId",
                table: "Deals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CreatedByImportId",
                table: "Contacts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CreatedByImportId",
                table: "Accounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImportJobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    ObjectType = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    FileSize = table.Column<long>(type: "INTEGER", nullable: false),
                    FileKey = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Settings = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    Mapping = table.Column<string>(type: "TEXT", maxLength: 100000, nullable: false),
                    Options = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsProcessed = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsCreated = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsUpdated = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsSkipped = table.Column<int>(type: "INTEGER", nullable: false),
                    RowsFailed = table.Column<int>(type: "INTEGER", nullable: false),
                    AccountsCreated = table.Column<int>(type: "INTEGER", nullable: false),
                    LastCommittedRow = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RunnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedByUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RolledBackAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RolledBackByUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    RollbackRestoresChangedRecords = table.Column<bool>(type: "INTEGER", nullable: false),
                    RollbackDeleted = table.Column<int>(type: "INTEGER", nullable: false),
                    RollbackRestored = table.Column<int>(type: "INTEGER", nullable: false),
                    RollbackKeptChanged = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportJobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportJobs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportTemplates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ObjectType = table.Column<int>(type: "INTEGER", nullable: false),
                    HeaderSignature = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    Mapping = table.Column<string>(type: "TEXT", maxLength: 100000, nullable: false),
                    Options = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportTemplates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportTemplates_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportJobId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordType = table.Column<int>(type: "INTEGER", nullable: false),
                    RecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    VersionAfter = table.Column<int>(type: "INTEGER", nullable: false),
                    Before = table.Column<string>(type: "TEXT", maxLength: 100000, nullable: false),
                    After = table.Column<string>(type: "TEXT", maxLength: 100000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportChanges_ImportJobs_ImportJobId",
                        column: x => x.ImportJobId,
                        principalTable: "ImportJobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ImportChanges_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ImportRowErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportJobId = table.Column<long>(type: "INTEGER", nullable: false),
                    RowNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    LineNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    Column = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Value = table.Column<string>(type: "TEXT", maxLength: 600, nullable: true),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRowErrors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportRowErrors_ImportJobs_ImportJobId",
                        column: x => x.ImportJobId,
                        principalTable: "ImportJobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ImportRowErrors_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportChanges_ImportJobId_RecordId",
                table: "ImportChanges",
                columns: new[] { "ImportJobId", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportChanges_WorkspaceId",
                table: "ImportChanges",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportJobs_Status",
                table: "ImportJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_ImportJobs_WorkspaceId_CreatedAt",
                table: "ImportJobs",
                columns: new[] { "WorkspaceId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRowErrors_ImportJobId_RowNumber",
                table: "ImportRowErrors",
                columns: new[] { "ImportJobId", "RowNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_ImportRowErrors_WorkspaceId",
                table: "ImportRowErrors",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportTemplates_WorkspaceId_ObjectType_Name",
                table: "ImportTemplates",
                columns: new[] { "WorkspaceId", "ObjectType", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportChanges");

            migrationBuilder.DropTable(
                name: "ImportRowErrors");

            migrationBuilder.DropTable(
                name: "ImportTemplates");

            migrationBuilder.DropTable(
                name: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "CreatedByImportId",
                table: "Deals");

            migrationBuilder.DropColumn(
                name: "CreatedByImportId",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "CreatedByImportId",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_WorkspaceId_AccountId",
                table: "Deals",
                columns: new[] { "WorkspaceId", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_Deals_WorkspaceId_OwnerId",
                table: "Deals",
                columns: new[] { "WorkspaceId", "OwnerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId_AccountId",
                table: "Contacts",
                columns: new[] { "WorkspaceId", "AccountId" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId_OwnerId",
                table: "Contacts",
                columns: new[] { "WorkspaceId", "OwnerId" });
        }
    }
}
