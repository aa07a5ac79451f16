using Crm.Core.Common;
using Crm.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Crm.Infrastructure.Persistence;

/// <summary>
/// Runs once at start: applies migrations (creating the SQLite file and its folder when missing), creates the
/// first workspace and admin on an empty database, and fills it with demo data when asked.
/// </summary>
public sealed partial class DatabaseInitializer(
    CrmDatabase database,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<BootstrapOptions> bootstrapOptions,
    IOptions<DemoDataOptions> demoOptions,
    WorkspaceProvisioner provisioner,
    DemoDataSeeder demo,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using (var db = database.Create(Actor.Anonymous))
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
                var folder = Path.GetDirectoryName(Path.GetFullPath(file));
                if (folder is not null) Directory.CreateDirectory(folder);
            }
            if (databaseOptions.Value.MigrateOnStartup)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
                if (pending > 0) LogMigrating(pending, database.Provider);
                await db.Database.MigrateAsync(ct);
            }
            if (database.Provider == DatabaseProvider.Sqlite)
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            if (await db.Workspaces.IgnoreQueryFilters().AnyAsync(ct)) return;
        }

        var bootstrap = bootstrapOptions.Value;
        if (string.IsNullOrWhiteSpace(bootstrap.AdminEmail) || string.IsNullOrWhiteSpace(bootstrap.AdminPassword))
        {
            LogNoBootstrapAdmin();
            return;
        }
        var (workspace, admin) = await provisioner.CreateAsync(bootstrap.WorkspaceName, bootstrap.AdminName, bootstrap.AdminEmail, bootstrap.AdminPassword, ct);
        LogBootstrapped(workspace.Id);
        if (demoOptions.Value.Enabled)
        {
            await demo.SeedAsync(workspace.Id, admin.Id, ct);
            LogDemoSeeded(workspace.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} pending migration(s) to the {Provider} database")]
    private partial void LogMigrating(int count, DatabaseProvider provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has no workspace and Bootstrap:AdminEmail / Bootstrap:AdminPassword are not set, so nobody can sign in yet. Set them and restart.")]
    private partial void LogNoBootstrapAdmin();

    [LoggerMessage(Level = LogLevel.Information, Message = "Created workspace {WorkspaceId} with its first admin from the Bootstrap settings")]
    private partial void LogBootstrapped(long workspaceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Filled workspace {WorkspaceId} with demo data")]
    private partial void LogDemoSeeded(long workspaceId);
}
