using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
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
        }
    }
}
