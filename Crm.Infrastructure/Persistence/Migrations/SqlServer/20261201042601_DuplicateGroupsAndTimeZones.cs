using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DuplicateGroupsAndTimeZones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Users",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GroupKey",
                table: "DuplicateCandidates",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Rule",
                table: "DuplicateCandidates",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_DuplicateCandidates_WorkspaceId_RecordType_RecordBId",
                table: "DuplicateCandidates",
                columns: new[] { "WorkspaceId", "RecordType", "RecordBId" });

            migrationBuilder.CreateIndex(
                name: "IX_DuplicateCandidates_WorkspaceId_Status_RecordType_Rule_GroupKey_Confidence",
                table: "DuplicateCandidates",
                columns: new[] { "WorkspaceId", "Status", "RecordType", "Rule", "GroupKey", "Confidence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DuplicateCandidates_WorkspaceId_RecordType_RecordBId",
                table: "DuplicateCandidates");

            migrationBuilder.DropIndex(
                name: "IX_DuplicateCandidates_WorkspaceId_Status_RecordType_Rule_GroupKey_Confidence",
                table: "DuplicateCandidates");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "GroupKey",
                table: "DuplicateCandidates");

            migrationBuilder.DropColumn(
                name: "Rule",
                table: "DuplicateCandidates");
        }
    }
}
