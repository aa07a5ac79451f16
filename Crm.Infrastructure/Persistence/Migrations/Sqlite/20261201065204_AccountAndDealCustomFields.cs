using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountAndDealCustomFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomFields",
                table: "Deals",
                type: "TEXT",
                maxLength: 100000,
                nullable: false,
                defaultValue: "{}"); // an empty JSON object: rows that exist have no values yet

            migrationBuilder.AddColumn<string>(
                name: "CustomFields",
                table: "Accounts",
                type: "TEXT",
                maxLength: 100000,
                nullable: false,
                defaultValue: "{}"); // an empty JSON object: rows that exist have no values yet
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CustomFields",
                table: "Deals");

            migrationBuilder.DropColumn(
                name: "CustomFields",
                table: "Accounts");
        }
    }
}
