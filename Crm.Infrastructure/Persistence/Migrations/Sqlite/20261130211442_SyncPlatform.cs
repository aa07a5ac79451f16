using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SyncPlatform : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.AddColumn<string>(
                name: "BudgetTier",
                table: "Integrations",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConflictRules",
                table: "Integrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DailyCallLimit",
                table: "Integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "InitialSyncConfirmedAt",
                table: "Integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PausedAt",
                table: "Integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RefreshClaimedUntil",
                table: "IntegrationCredentials",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IntegrationUsage",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Calls = table.Column<int>(type: "INTEGER", nullable: false),
                    Throttled = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntegrationUsage", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IntegrationUsage_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_IntegrationUsage_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SyncConflicts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: false),
                    SyncRecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordType = table.Column<int>(type: "INTEGER", nullable: false),
                    RecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OursValue = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    TheirsValue = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    OursChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TheirsChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OursChangedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Resolution = table.Column<int>(type: "INTEGER", nullable: true),
                    ResolvedValue = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ResolvedByUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncConflicts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncConflicts_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SyncConflicts_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SyncRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordType = table.Column<int>(type: "INTEGER", nullable: false),
                    RecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    LastSyncedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LocalVersion = table.Column<long>(type: "INTEGER", nullable: true),
                    RemoteVersion = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    LocalHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RemoteHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SyncedValues = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ConflictStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ErrorCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MergedFromRecordId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncRecords_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SyncRecords_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SyncRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    ReadIn = table.Column<int>(type: "INTEGER", nullable: false),
                    WrittenIn = table.Column<int>(type: "INTEGER", nullable: false),
                    ReadOut = table.Column<int>(type: "INTEGER", nullable: false),
                    WrittenOut = table.Column<int>(type: "INTEGER", nullable: false),
                    Conflicts = table.Column<int>(type: "INTEGER", nullable: false),
                    Errors = table.Column<int>(type: "INTEGER", nullable: false),
                    ApiCalls = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncRuns_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SyncRuns_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SyncStates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: false),
                    ObjectType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Cursor = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    LastSyncAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    StageStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordsWritten = table.Column<long>(type: "INTEGER", nullable: false),
                    FailuresInARow = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncStates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncStates_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SyncStates_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WebhookChannels",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ChannelId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookChannels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WebhookChannels_Integrations_IntegrationId",
                        column: x => x.IntegrationId,
                        principalTable: "Integrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WebhookChannels_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            // The links keep their ids (merge records name them); a record linked twice to one system keeps its first
            // link as its own, the others marked as moved onto it, so one record still has one id per system.
            migrationBuilder.Sql("""
                INSERT INTO "SyncRecords" ("Id", "WorkspaceId", "Provider", "RecordType", "RecordId", "ExternalId", "LastSyncedAt", "CreatedAt", "UpdatedAt", "Status", "ConflictStatus", "ErrorCount", "MergedFromRecordId")
                SELECT e."Id", e."WorkspaceId", e."Provider", e."RecordType", e."RecordId", e."ExternalId", e."LastSyncedAt", e."CreatedAt", e."UpdatedAt", 0, 0, 0,
                  CASE WHEN EXISTS (SELECT 1 FROM "ExternalLinks" o WHERE o."WorkspaceId" = e."WorkspaceId" AND o."Provider" = e."Provider"
                                    AND o."RecordType" = e."RecordType" AND o."RecordId" = e."RecordId" AND o."Id" < e."Id") THEN e."RecordId" END
                FROM "ExternalLinks" e;
                """);

            migrationBuilder.DropTable(
                name: "ExternalLinks");

            migrationBuilder.CreateIndex(
                name: "IX_IntegrationUsage_IntegrationId_Day",
                table: "IntegrationUsage",
                columns: new[] { "IntegrationId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IntegrationUsage_WorkspaceId",
                table: "IntegrationUsage",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncConflicts_IntegrationId_State",
                table: "SyncConflicts",
                columns: new[] { "IntegrationId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncConflicts_SyncRecordId_Field",
                table: "SyncConflicts",
                columns: new[] { "SyncRecordId", "Field" },
                unique: true,
                filter: "\"State\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_SyncConflicts_WorkspaceId",
                table: "SyncConflicts",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_IntegrationId_Status",
                table: "SyncRecords",
                columns: new[] { "IntegrationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_WorkspaceId_Provider_RecordType_ExternalId",
                table: "SyncRecords",
                columns: new[] { "WorkspaceId", "Provider", "RecordType", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_WorkspaceId_Provider_RecordType_RecordId",
                table: "SyncRecords",
                columns: new[] { "WorkspaceId", "Provider", "RecordType", "RecordId" },
                unique: true,
                filter: "\"MergedFromRecordId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SyncRecords_WorkspaceId_RecordType_RecordId",
                table: "SyncRecords",
                columns: new[] { "WorkspaceId", "RecordType", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_IntegrationId_StartedAt",
                table: "SyncRuns",
                columns: new[] { "IntegrationId", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_Outcome_StartedAt",
                table: "SyncRuns",
                columns: new[] { "Outcome", "StartedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_WorkspaceId",
                table: "SyncRuns",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_SyncStates_IntegrationId_ObjectType",
                table: "SyncStates",
                columns: new[] { "IntegrationId", "ObjectType" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncStates_WorkspaceId",
                table: "SyncStates",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookChannels_IntegrationId",
                table: "WebhookChannels",
                column: "IntegrationId");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookChannels_Provider_ChannelId",
                table: "WebhookChannels",
                columns: new[] { "Provider", "ChannelId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookChannels_WorkspaceId",
                table: "WebhookChannels",
                column: "WorkspaceId");

            migrationBuilder.AddColumn<long>(
                name: "FallbackOwnerUserId",
                table: "Integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HeldChange",
                table: "Integrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings",
                table: "Integrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MassChangeApprovedAt",
                table: "Integrations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MassChangePercent",
                table: "Integrations",
                type: "INTEGER",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<string>(
                name: "OwnerMap",
                table: "Integrations",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FallbackOwnerUserId",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "HeldChange",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "Mappings",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "MassChangeApprovedAt",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "MassChangePercent",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "OwnerMap",
                table: "Integrations");

            migrationBuilder.DropTable(
                name: "IntegrationUsage");

            migrationBuilder.DropTable(
                name: "SyncConflicts");

            migrationBuilder.DropTable(
                name: "SyncRecords");

            migrationBuilder.DropTable(
                name: "SyncRuns");

            migrationBuilder.DropTable(
                name: "SyncStates");

            migrationBuilder.DropTable(
                name: "WebhookChannels");

            migrationBuilder.DropColumn(
                name: "BudgetTier",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "ConflictRules",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "DailyCallLimit",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "InitialSyncConfirmedAt",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "PausedAt",
                table: "Integrations");

            migrationBuilder.DropColumn(
                name: "RefreshClaimedUntil",
                table: "IntegrationCredentials");

            migrationBuilder.CreateTable(
                name: "ExternalLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    LastSyncedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RecordId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordType = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExternalLinks_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExternalLinks_WorkspaceId_Provider_RecordType_ExternalId",
                table: "ExternalLinks",
                columns: new[] { "WorkspaceId", "Provider", "RecordType", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExternalLinks_WorkspaceId_RecordType_RecordId",
                table: "ExternalLinks",
                columns: new[] { "WorkspaceId", "RecordType", "RecordId" });
        }
    }
}
