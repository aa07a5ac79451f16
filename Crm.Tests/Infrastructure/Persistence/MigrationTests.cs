using Microsoft.Extensions.DependencyInjection;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Crm.Tests.Infrastructure.Persistence;

public class MigrationTests
{
    [Fact]
    public void SqliteModel_HasNoPendingChanges()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project Crm.Infrastructure --context SqliteCrmDbContext --output-dir Persistence/Migrations/Sqlite");
    }

    [Fact]
    public void SqlServerModel_HasNoPendingChanges()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project Crm.Infrastructure --context SqlServerCrmDbContext --output-dir Persistence/Migrations/SqlServer");
    }

    [Fact]
    public void SqlServerMigrationScript_GeneratesOfflineWithEveryTable()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in new[] { "Workspaces", "Users", "Contacts", "Accounts", "Deals", "DealContacts", "Pipelines", "PipelineStages", "Activities", "FieldChanges", "ApiKeys", "AspNetUsers" })
            Assert.Contains($"CREATE TABLE [{table}]", script);
        Assert.Contains("decimal(18,2)", script);
        Assert.Contains("IF NOT EXISTS", script);
    }

    [Fact]
    public async Task FirstStart_OnAMissingFolder_CreatesTheDatabaseAndTheBootstrapAdmin()
    {
        var folder = Path.Combine(TestPaths.NewTempDirectory("first"), "nested", "data");
        await using var host = await CrmTestHost.StartAsync(new()
        {
            ["Database:DataDirectory"] = folder,
            ["Bootstrap:AdminEmail"] = "Boss@Example.com",
            ["Bootstrap:AdminPassword"] = "boss-password-1",
        });

        Assert.True(File.Exists(Path.Combine(folder, "crm.db")));
        var members = await host.Resolve<Crm.Infrastructure.Identity.Memberships>().FindByEmailAsync("boss@example.com");
        var admin = Assert.Single(members);
        Assert.Equal(Crm.Core.Users.UserRole.Admin, admin.Role);

        await using var scope = host.Resolve<IServiceProvider>().CreateAsyncScope();
        var signIn = await scope.ServiceProvider.GetRequiredService<Crm.Infrastructure.Identity.PasswordSignIn>().CheckAsync("boss@example.com", "boss-password-1");
        Assert.Equal(Crm.Infrastructure.Identity.SignInOutcome.Succeeded, signIn.Outcome);
    }

    [Fact]
    public async Task Start_Twice_DoesNotCreateASecondWorkspace()
    {
        var settings = new Dictionary<string, string?> { ["Bootstrap:AdminEmail"] = "a@example.com", ["Bootstrap:AdminPassword"] = "a-password-123" };
        await using var host = await CrmTestHost.StartAsync(settings);
        await using (var scope = host.Resolve<IServiceProvider>().CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        await using var db = host.Database.Create(Crm.Core.Common.Actor.Anonymous);
        Assert.Equal(1, await db.Workspaces.IgnoreQueryFilters().CountAsync());
    }
}
