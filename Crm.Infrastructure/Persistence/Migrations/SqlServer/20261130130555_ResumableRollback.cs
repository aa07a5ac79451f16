using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ResumableRollback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RollbackAttempts",
                table: "ImportJobs",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "RollbackCursor",
                table: "ImportJobs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "RollbackError",
                table: "ImportJobs",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RollbackStage",
                table: "ImportJobs",
                type: "int",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RollbackAttempts",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "RollbackCursor",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "RollbackError",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "RollbackStage",
                table: "ImportJobs");
        }
    }
}
