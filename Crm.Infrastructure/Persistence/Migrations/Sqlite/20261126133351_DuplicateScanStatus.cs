using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DuplicateScanStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
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
        }
    }
}
