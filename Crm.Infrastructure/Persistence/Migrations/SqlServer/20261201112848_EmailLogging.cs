using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class EmailLogging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "AttachmentCount",
                table: "Activities",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AutomaticOpenCount",
                table: "Activities",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "Activities",
                type: "nvarchar(max)",
                maxLength: 400000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "InReplyTo",
                table: "Activities",
                type: "nvarchar(998)",
                maxLength: 998,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastOpenedAt",
                table: "Activities",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MailboxUserIds",
                table: "Activities",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MessageId",
                table: "Activities",
                type: "nvarchar(998)",
                maxLength: 998,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Tracked",
                table: "Activities",
                type: "bit",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ActivityLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    ActivityId = table.Column<long>(type: "bigint", nullable: false),
                    ContactId = table.Column<long>(type: "bigint", nullable: true),
                    AccountId = table.Column<long>(type: "bigint", nullable: true),
                    DealId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivityLinks_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ActivityLinks_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EmailAttachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    ActivityId = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "nvarchar(127)", maxLength: 127, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Content = table.Column<byte[]>(type: "varbinary(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EmailAttachments_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_EmailAttachments_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "EmailSettings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    AutoCreate = table.Column<int>(type: "int", nullable: false),
                    LogBulk = table.Column<bool>(type: "bit", nullable: false),
                    TeammatesSeeBodies = table.Column<bool>(type: "bit", nullable: false),
                    NeverLog = table.Column<string>(type: "nvarchar(max)", maxLength: 260000, nullable: false),
                    LoggingTokenHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LoggingTokenProtected = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    RefusedCount = table.Column<long>(type: "bigint", nullable: false),
                    LastRefusedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastRefusedFrom = table.Column<string>(type: "nvarchar(254)", maxLength: 254, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EmailSettings_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MailboxMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WorkspaceId = table.Column<long>(type: "bigint", nullable: false),
                    Mailbox = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    IntegrationId = table.Column<long>(type: "bigint", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "nvarchar(300)", maxLength: 300, nullable: false),
                    MessageId = table.Column<string>(type: "nvarchar(998)", maxLength: 998, nullable: true),
                    UserId = table.Column<long>(type: "bigint", nullable: true),
                    Outcome = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    ActivityId = table.Column<long>(type: "bigint", nullable: true),
                    MessageDate = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    SeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RemovedAtProvider = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailboxMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailboxMessages_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MailboxMessages_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_WorkspaceId_MessageId",
                table: "Activities",
                columns: new[] { "WorkspaceId", "MessageId" },
                unique: true,
                filter: "\"MessageId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLinks_AccountId_ActivityId",
                table: "ActivityLinks",
                columns: new[] { "AccountId", "ActivityId" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLinks_ActivityId",
                table: "ActivityLinks",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLinks_ContactId_ActivityId",
                table: "ActivityLinks",
                columns: new[] { "ContactId", "ActivityId" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLinks_DealId_ActivityId",
                table: "ActivityLinks",
                columns: new[] { "DealId", "ActivityId" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityLinks_WorkspaceId",
                table: "ActivityLinks",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailAttachments_ActivityId",
                table: "EmailAttachments",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailAttachments_WorkspaceId",
                table: "EmailAttachments",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_EmailSettings_LoggingTokenHash",
                table: "EmailSettings",
                column: "LoggingTokenHash",
                unique: true,
                filter: "\"LoggingTokenHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_EmailSettings_WorkspaceId",
                table: "EmailSettings",
                column: "WorkspaceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailboxMessages_ActivityId",
                table: "MailboxMessages",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_MailboxMessages_WorkspaceId_Mailbox_MessageDate",
                table: "MailboxMessages",
                columns: new[] { "WorkspaceId", "Mailbox", "MessageDate" });

            migrationBuilder.CreateIndex(
                name: "IX_MailboxMessages_WorkspaceId_Mailbox_ProviderMessageId",
                table: "MailboxMessages",
                columns: new[] { "WorkspaceId", "Mailbox", "ProviderMessageId" },
                unique: true);
            // Emails logged before these columns existed: no attachments counted, no mailbox owners known, not tracked.
            migrationBuilder.Sql("UPDATE \"Activities\" SET \"AttachmentCount\" = 0, \"MailboxUserIds\" = '[]', \"AutomaticOpenCount\" = 0, \"Tracked\" = 0 WHERE \"Kind\" = 'email'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityLinks");

            migrationBuilder.DropTable(
                name: "EmailAttachments");

            migrationBuilder.DropTable(
                name: "EmailSettings");

            migrationBuilder.DropTable(
                name: "MailboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_Activities_WorkspaceId_MessageId",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "AttachmentCount",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "AutomaticOpenCount",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "HtmlBody",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "InReplyTo",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "LastOpenedAt",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "MailboxUserIds",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "MessageId",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "Tracked",
                table: "Activities");
        }
    }
}
