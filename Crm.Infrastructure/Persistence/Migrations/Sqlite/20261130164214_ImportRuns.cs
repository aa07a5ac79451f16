using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Imports queued, running or rolling back when the app was upgraded get a queued run (a rollback keeps its
            // failures and last error): the rescue job hands them out, and each resumes after what it committed.
            migrationBuilder.Sql(
                "INSERT INTO \"Runs\" (\"WorkspaceId\", \"Kind\", \"SubjectId\", \"Status\", \"Done\", \"Total\", \"Attempts\", \"Failures\", \"LastError\", \"QueuedAt\", \"RequestedByUserId\") " +
                "SELECT \"WorkspaceId\", CASE WHEN \"Status\" = 5 THEN 1 ELSE 0 END, \"Id\", 0, \"LastCommittedRow\", \"TotalRows\", " +
                "CASE WHEN \"Status\" = 5 THEN \"RollbackAttempts\" ELSE \"Attempts\" END, " +
                "CASE WHEN \"Status\" = 5 AND \"RollbackError\" IS NOT NULL THEN \"RollbackAttempts\" ELSE 0 END, " +
                "CASE WHEN \"Status\" = 5 THEN \"RollbackError\" ELSE NULL END, \"CreatedAt\", \"CreatedByUserId\" " +
                "FROM \"ImportJobs\" WHERE \"Status\" IN (0, 1, 5)");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "HeartbeatAt",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "RollbackAttempts",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "RollbackError",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "RunnerId",
                table: "ImportJobs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "ImportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "HeartbeatAt",
                table: "ImportJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RollbackAttempts",
                table: "ImportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "RollbackError",
                table: "ImportJobs",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RunnerId",
                table: "ImportJobs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }
    }
}
