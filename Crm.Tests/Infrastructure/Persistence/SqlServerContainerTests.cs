using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Testcontainers.MsSql;

namespace Crm.Tests.Infrastructure.Persistence;

/// <summary>The production provider for real, where a Docker engine is reachable; reported as skipped where none is.</summary>
public class SqlServerContainerTests
{
    [Fact]
    public async Task SqlServer_MigrationsAndContactRoundTrip_Work()
    {
        MsSqlContainer container;
        try
        {
            container = new MsSqlBuilder("mcr.microsoft.com/mssql/server:2022-latest").Build();
            await container.StartAsync(TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e.GetType().Name is "DockerUnavailableException" || e is InvalidOperationException or HttpRequestException or TimeoutException)
        {
            Assert.Skip($"No Docker engine is reachable here ({e.GetType().Name}); SQL Server runs where Docker does.");
            return;
        }

        await using (container)
        {
            var database = new CrmDatabase(DatabaseProvider.SqlServer, container.GetConnectionString(), new FakeTimeProvider());
            await using (var db = database.Create(Actor.Anonymous))
            {
                await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
                db.Workspaces.Add(new Crm.Core.Workspaces.Workspace { Name = "SQL Server" });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
            await using (var db = database.Create(Actor.System(1)))
            {
                db.Pipelines.Add(WorkspaceProvisioner.DefaultPipeline());
                db.Contacts.Add(new Contact { FirstName = "Grace", Email = "grace@example.com", CustomFields = new() { ["tier"] = "gold" } });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
            await using (var db = database.Create(Actor.System(1)))
            {
                var contact = await db.Contacts.SingleAsync(TestContext.Current.CancellationToken);
                Assert.Equal("gold", contact.CustomFields["tier"]);
                contact.LastName = "Hopper";
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
                Assert.Equal(1, contact.Version);
                db.Contacts.Remove(contact);
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
                Assert.Empty(await db.Contacts.ToListAsync(TestContext.Current.CancellationToken));
                Assert.Equal(2, await db.FieldChanges.CountAsync(TestContext.Current.CancellationToken));
            }
        }
    }
}
