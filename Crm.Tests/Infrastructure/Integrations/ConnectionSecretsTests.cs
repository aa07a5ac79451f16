using System.Text;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Users;
using Crm.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>Connection secrets at rest: encrypted with the database's key ring, one workspace's never another's.</summary>
public class ConnectionSecretsTests : WorkspaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string AccessToken = "pat-na1-7f3c2a9e-1b4d-4e8f-9a6b-3c5d7e9f1a2b";
    private const string RefreshToken = "rt-5b8e1c4a-9d2f-4a7b-8c3e-6f1a2b4c5d6e";

    private async Task<long> ConnectionAsync(TestWorkspace ws, long? owner = null, string provider = IntegrationProviders.HubSpot)
    {
        await using var db = Host.Database.Create(ws.Admin());
        var integration = new Integration
        {
            Provider = provider, Type = owner is null ? IntegrationType.CrmSync : IntegrationType.Email, Name = provider, OwnerUserId = owner,
            Auth = IntegrationAuth.OAuth, Status = ConnectionStatus.Connected, AccountName = "portal 62515",
        };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(Ct);
        return integration.Id;
    }

    [Fact]
    public async Task Secrets_AreStoredEncrypted_TheDatabaseFileHoldsNoTokenInPlainText_AndReadBack()
    {
        var id = await ConnectionAsync(Ws);
        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.SaveAsync(id, new ConnectionSecrets(AccessToken, RefreshToken), Host.Time.GetUtcNow().AddHours(1), Ct));

        var read = await Host.RunAsync<IConnectionSecrets, ConnectionSecrets?>(Ws.Admin(), s => s.ReadAsync(id, Ct));
        Assert.Equal((AccessToken, RefreshToken), (read!.AccessToken, read.RefreshToken));
        Assert.DoesNotContain(AccessToken, read.ToString(), StringComparison.Ordinal);

        // Everything written reaches the file (and its write-ahead log), then the bytes are searched.
        SqliteConnection.ClearAllPools();
        var bytes = Directory.GetFiles(Host.Directory).Where(f => Path.GetFileName(f).Contains(".db", StringComparison.Ordinal))
            .SelectMany(File.ReadAllBytes).ToArray();
        Assert.NotEmpty(bytes);
        foreach (var secret in new[] { AccessToken, RefreshToken })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }
        await using var db = Host.Database.Create(Actor.Anonymous);
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync(Ct));
    }

    [Fact]
    public async Task Secrets_SavedByOneInstance_AreReadByAnotherOnTheSameDatabase()
    {
        var id = await ConnectionAsync(Ws);
        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.SaveAsync(id, new ConnectionSecrets(ApiKey: AccessToken), null, Ct));

        await using var other = await CrmTestHost.StartAsync(directory: Host.Directory);
        var read = await other.RunAsync<IConnectionSecrets, ConnectionSecrets?>(Ws.Admin(), s => s.ReadAsync(id, Ct));

        Assert.Equal(AccessToken, read!.ApiKey);
    }

    [Fact]
    public async Task AnotherWorkspace_CannotReadReplaceOrDeleteTheSecrets()
    {
        var id = await ConnectionAsync(Ws);
        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.SaveAsync(id, new ConnectionSecrets(AccessToken), null, Ct));
        var other = await Host.CreateWorkspaceAsync("Other");

        Assert.Null(await Host.RunAsync<IConnectionSecrets, ConnectionSecrets?>(other.Admin(), s => s.ReadAsync(id, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<IConnectionSecrets>(other.Admin(), s => s.SaveAsync(id, new ConnectionSecrets("stolen"), null, Ct)));
        await Host.RunAsync<IConnectionSecrets>(other.Admin(), s => s.DeleteAsync(id, Ct));

        Assert.Equal(AccessToken, (await Host.RunAsync<IConnectionSecrets, ConnectionSecrets?>(Ws.Admin(), s => s.ReadAsync(id, Ct)))!.AccessToken);
    }

    [Fact]
    public async Task Disconnecting_DeletesTheSecrets_AndReplacingKeepsOneRow()
    {
        var id = await ConnectionAsync(Ws);
        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.SaveAsync(id, new ConnectionSecrets(AccessToken, RefreshToken), null, Ct));
        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.SaveAsync(id, new ConnectionSecrets("rotated", "rotated-refresh"), null, Ct));
        await using (var db = Host.Database.Create(Ws.Admin()))
            Assert.Equal(1, await db.IntegrationCredentials.CountAsync(Ct));
        Assert.Equal("rotated-refresh", (await Host.RunAsync<IConnectionSecrets, ConnectionSecrets?>(Ws.Admin(), s => s.ReadAsync(id, Ct)))!.RefreshToken);

        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.DeleteAsync(id, Ct));

        Assert.Null(await Host.RunAsync<IConnectionSecrets, ConnectionSecrets?>(Ws.Admin(), s => s.ReadAsync(id, Ct)));
    }

    [Fact]
    public async Task TheList_ShowsAdminsEveryConnection_RepsTheirOwn_NeverASecret_AndNothingOfAnotherWorkspace()
    {
        var rep = await Host.RunAsync<CreateUserHandler, UserView>(Ws.Admin(), h => h.HandleAsync(new NewUserInput { Name = "Riley Rep", Email = "riley@acme.example" }));
        var hubspot = await ConnectionAsync(Ws);
        var mailbox = await ConnectionAsync(Ws, rep.Id, IntegrationProviders.Google);
        await Host.RunAsync<IConnectionSecrets>(Ws.Admin(), s => s.SaveAsync(hubspot, new ConnectionSecrets(AccessToken), Host.Time.GetUtcNow().AddMinutes(30), Ct));
        var other = await Host.CreateWorkspaceAsync("Other");
        await ConnectionAsync(other);

        var all = await Host.RunAsync<ListIntegrationsHandler, IReadOnlyList<IntegrationView>>(Ws.Admin(), h => h.HandleAsync(Ct));
        var own = await Host.RunAsync<ListIntegrationsHandler, IReadOnlyList<IntegrationView>>(new Actor(Ws.Id, rep.Id, UserRole.Rep, ChangeSource.User), h => h.HandleAsync(Ct));

        Assert.Equal(new[] { hubspot, mailbox }.Order(), all.Select(v => v.Id).Order());
        Assert.True(all.Single(v => v.Id == hubspot).HasCredentials);
        Assert.Equal("Riley Rep", all.Single(v => v.Id == mailbox).OwnerName);
        Assert.Equal([mailbox], own.Select(v => v.Id));
        Assert.DoesNotContain(AccessToken, System.Text.Json.JsonSerializer.Serialize(all), StringComparison.Ordinal);
    }
}
