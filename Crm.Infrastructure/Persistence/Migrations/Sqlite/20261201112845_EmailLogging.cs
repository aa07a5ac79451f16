using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Crm.Infrastructure.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AutomaticOpenCount",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HtmlBody",
                table: "Activities",
                type: "TEXT",
                maxLength: 400000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "InReplyTo",
                table: "Activities",
                type: "TEXT",
                maxLength: 998,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastOpenedAt",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MailboxUserIds",
                table: "Activities",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MessageId",
                table: "Activities",
                type: "TEXT",
                maxLength: 998,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Tracked",
                table: "Activities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ActivityLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: false),
                    ContactId = table.Column<long>(type: "INTEGER", nullable: true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    DealId = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 127, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    AutoCreate = table.Column<int>(type: "INTEGER", nullable: false),
                    LogBulk = table.Column<bool>(type: "INTEGER", nullable: false),
                    TeammatesSeeBodies = table.Column<bool>(type: "INTEGER", nullable: false),
                    NeverLog = table.Column<string>(type: "TEXT", maxLength: 260000, nullable: false),
                    LoggingTokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LoggingTokenProtected = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RefusedCount = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRefusedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastRefusedFrom = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Mailbox = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IntegrationId = table.Column<long>(type: "INTEGER", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 998, nullable: true),
                    UserId = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: true),
                    MessageDate = table.Column<long>(type: "INTEGER", nullable: false),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RemovedAtProvider = table.Column<bool>(type: "INTEGER", nullable: false)
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
