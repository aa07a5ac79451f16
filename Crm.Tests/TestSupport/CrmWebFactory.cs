using System.Net.Http.Headers;
using Crm.Core.ApiKeys;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Tests.TestSupport;

/// <summary>The whole web app (real middleware, auth, endpoints) on a fresh SQLite file, for API tests.</summary>
/// <param name="logs">Receives every log line at every level (tests that look for what must never be logged).</param>
public sealed class CrmWebFactory(IReadOnlyDictionary<string, string>? settings = null, LogCapture? logs = null) : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@first.example";
    public const string AdminPassword = "first-admin-password";

    private readonly string _directory = TestPaths.NewTempDirectory("web");

    /// <summary>The app's data folder (database, files, keys).</summary>
    public string DataDirectory => _directory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:DataDirectory", _directory);
        builder.UseSetting("Bootstrap:WorkspaceName", "First workspace");
        builder.UseSetting("Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("DemoData:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        if (logs is not null)
            builder.ConfigureServices(s => s.AddLogging(l => l.AddProvider(logs).AddFilter<LogCapture>(null, Microsoft.Extensions.Logging.LogLevel.Trace)));
    }

    /// <summary>A workspace with an admin; returns its id.</summary>
    public async Task<long> CreateWorkspaceAsync(string name)
    {
        using var scope = Services.CreateScope();
        var (workspace, _) = await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(name, "Admin", $"admin-{Guid.NewGuid():N}@example.com", null);
        return workspace.Id;
    }

    public long FirstWorkspaceId => 1;

    /// <summary>A person with a password sign-in in a workspace; returns their user id.</summary>
    public async Task<long> CreateUserAsync(long workspaceId, string email, string password, UserRole role = UserRole.Rep)
    {
        var user = new Crm.Core.Users.User { Name = email.Split('@')[0], Email = email, Role = role };
        await using (var db = Services.GetRequiredService<CrmDatabase>().Create(Actor.System(workspaceId)))
        {
            ((ICrmDb)db).Users.Add(user);
            await db.SaveChangesAsync();
        }
        using var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId);
        await scope.ServiceProvider.GetRequiredService<Crm.Core.Users.ILocalAccounts>().SetPasswordAsync(user, password);
        return user.Id;
    }

    /// <summary>Issues an API key straight into the database (what the admin page does) and returns it in clear.</summary>
    public async Task<string> CreateApiKeyAsync(long workspaceId, UserRole role = UserRole.Admin, bool revoked = false)
    {
        var database = Services.GetRequiredService<CrmDatabase>();
        var (key, prefix, hash) = ApiKeyFormat.Generate();
        await using var db = database.Create(Actor.System(workspaceId));
        db.ApiKeys.Add(new ApiKey { Name = "test", Prefix = prefix, SecretHash = hash, Role = role, RevokedAt = revoked ? DateTimeOffset.UtcNow : null });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task<HttpClient> ClientWithKeyAsync(long workspaceId, UserRole role = UserRole.Admin)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateApiKeyAsync(workspaceId, role));
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
