using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DuplicateScanStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
