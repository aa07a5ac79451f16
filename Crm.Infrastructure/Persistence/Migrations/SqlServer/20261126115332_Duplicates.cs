using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Duplicates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DuplicateAutoMerge",
                table: "Workspaces",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "DuplicatePossibleThreshold",
                table: "Workspaces",
                type: "int",
                nullable: false,
                defaultValue: 50); // the seed's Q4 thresholds

            migrationBuilder.AddColumn<int>(
                name: "DuplicateReviewThreshold",
                table: "Workspaces",
                type: "int",
                nullable: false,
                defaultValue: 85);

            migrationBuilder.AddColumn<long>(
                name: "MergedIntoId",
                table: "Contacts",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MergedIntoId",
                table: "Accounts",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DuplicateCandidates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<int>(type: "int", nullable: false),
                    RecordAId = table.Column<long>(type: "bigint", nullable: false),
                    RecordBId = table.Column<long>(type: "bigint", nullable: false),
                    Confidence = table.Column<int>(type: "int", nullable: false),
                    Reasons = table.Column<string>(type: "nvarchar(max)", maxLength: 10000, nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ResolvedByUserId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuplicateCandidates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DuplicateCandidates_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MergeRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    RecordType = table.Column<int>(type: "int", nullable: false),
                    WinnerId = table.Column<long>(type: "bigint", nullable: false),
                    LoserId = table.Column<long>(type: "bigint", nullable: false),
                    Before = table.Column<string>(type: "nvarchar(max)", maxLength: 100000, nullable: false),
                    MovedActivityIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    MovedDealLinks = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    DroppedDealLinks = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    MovedContactIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    MovedDealIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    MergedByUserId = table.Column<long>(type: "bigint", nullable: true),
                    UndoneAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    UndoneByUserId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MergeRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MergeRecords_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DuplicateCandidates_WorkspaceId_RecordType_RecordAId_RecordBId",
                table: "DuplicateCandidates",
                columns: new[] { "WorkspaceId", "RecordType", "RecordAId", "RecordBId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DuplicateCandidates_WorkspaceId_RecordType_Status_Confidence",
                table: "DuplicateCandidates",
                columns: new[] { "WorkspaceId", "RecordType", "Status", "Confidence" });

            migrationBuilder.CreateIndex(
                name: "IX_MergeRecords_WorkspaceId_RecordType_LoserId",
                table: "MergeRecords",
                columns: new[] { "WorkspaceId", "RecordType", "LoserId" });

            migrationBuilder.CreateIndex(
                name: "IX_MergeRecords_WorkspaceId_RecordType_WinnerId",
                table: "MergeRecords",
                columns: new[] { "WorkspaceId", "RecordType", "WinnerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DuplicateCandidates");

            migrationBuilder.DropTable(
                name: "MergeRecords");

            migrationBuilder.DropColumn(
                name: "DuplicateAutoMerge",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "DuplicatePossibleThreshold",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "DuplicateReviewThreshold",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Accounts");
        }
    }
}
