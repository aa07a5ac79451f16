using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
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
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConflictRules",
                table: "Integrations",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DailyCallLimit",
                table: "Integrations",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "InitialSyncConfirmedAt",
                table: "Integrations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PausedAt",
                table: "Integrations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RefreshClaimedUntil",
                table: "IntegrationCredentials",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "IntegrationUsage",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Calls = table.Column<int>(type: "int", nullable: false),
                    Throttled = table.Column<int>(type: "int", nullable: false),
                    Failed = table.Column<int>(type: "int", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: false),
                    SyncRecordId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<int>(type: "int", nullable: false),
                    RecordId = table.Column<long>(type: "bigint", nullable: false),
                    ExternalId = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    Field = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OursValue = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    TheirsValue = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    OursChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    TheirsChangedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    OursChangedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    State = table.Column<int>(type: "int", nullable: false),
                    Resolution = table.Column<int>(type: "int", nullable: true),
                    ResolvedValue = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    ResolvedByUserId = table.Column<long>(type: "bigint", nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Provider = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: true),
                    RecordType = table.Column<int>(type: "int", nullable: false),
                    RecordId = table.Column<long>(type: "bigint", nullable: false),
                    ExternalId = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    LastSyncedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LocalVersion = table.Column<long>(type: "bigint", nullable: true),
                    RemoteVersion = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: true),
                    LocalHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    RemoteHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    SyncedValues = table.Column<string>(type: "nvarchar(max)", maxLength: 10000, nullable: true),
                    Status = table.Column<int>(type: "int", nullable: false),
                    ConflictStatus = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    ErrorCount = table.Column<int>(type: "int", nullable: false),
                    LastAttemptAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    MergedFromRecordId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Outcome = table.Column<int>(type: "int", nullable: false),
                    ReadIn = table.Column<int>(type: "int", nullable: false),
                    WrittenIn = table.Column<int>(type: "int", nullable: false),
                    ReadOut = table.Column<int>(type: "int", nullable: false),
                    WrittenOut = table.Column<int>(type: "int", nullable: false),
                    Conflicts = table.Column<int>(type: "int", nullable: false),
                    Errors = table.Column<int>(type: "int", nullable: false),
                    ApiCalls = table.Column<int>(type: "int", nullable: false),
                    Error = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: false),
                    ObjectType = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Cursor = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    LastSyncAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Stage = table.Column<int>(type: "int", nullable: false),
                    StageStartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RecordsRead = table.Column<long>(type: "bigint", nullable: false),
                    RecordsWritten = table.Column<long>(type: "bigint", nullable: false),
                    FailuresInARow = table.Column<int>(type: "int", nullable: false),
                    LastError = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: false),
                    Provider = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ChannelId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    ResourceId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SecretHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
                SET IDENTITY_INSERT [SyncRecords] ON;
                INSERT INTO "SyncRecords" ("Id", "WorkspaceId", "Provider", "RecordType", "RecordId", "ExternalId", "LastSyncedAt", "CreatedAt", "UpdatedAt", "Status", "ConflictStatus", "ErrorCount", "MergedFromRecordId")
                SELECT e."Id", e."WorkspaceId", e."Provider", e."RecordType", e."RecordId", e."ExternalId", e."LastSyncedAt", e."CreatedAt", e."UpdatedAt", 0, 0, 0,
                  CASE WHEN EXISTS (SELECT 1 FROM "ExternalLinks" o WHERE o."WorkspaceId" = e."WorkspaceId" AND o."Provider" = e."Provider"
                                    AND o."RecordType" = e."RecordType" AND o."RecordId" = e."RecordId" AND o."Id" < e."Id") THEN e."RecordId" END
                FROM "ExternalLinks" e;
                SET IDENTITY_INSERT [SyncRecords] OFF;
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HeldChange",
                table: "Integrations",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mappings",
                table: "Integrations",
                type: "nvarchar(max)",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "MassChangeApprovedAt",
                table: "Integrations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MassChangePercent",
                table: "Integrations",
                type: "int",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<string>(
                name: "OwnerMap",
                table: "Integrations",
                type: "nvarchar(max)",
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ExternalId = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    LastSyncedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Provider = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    RecordId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<int>(type: "int", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false)
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
