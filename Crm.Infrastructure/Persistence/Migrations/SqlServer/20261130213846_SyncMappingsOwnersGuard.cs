using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SyncMappingsOwnersGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
