using Crm.Core;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Seeding;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Crm.Tests.TestSupport;

public sealed record TestWorkspace(long Id, long AdminId)
{
    public Actor Admin(ChangeSource source = ChangeSource.User) => new(Id, AdminId, UserRole.Admin, source);
}

/// <summary>
/// The Core use cases and Infrastructure wired as the app wires them, on a real SQLite file in a temp folder
/// (migrated like a first start), with a settable actor and a fake clock.
/// </summary>
public sealed class CrmTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly bool _ownsDirectory;

    private CrmTestHost(ServiceProvider services, string directory, bool ownsDirectory)
    {
        _services = services;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    public string Directory { get; }
    public TestActor Actor => _services.GetRequiredService<TestActor>();
    public FakeTimeProvider Time => _services.GetRequiredService<FakeTimeProvider>();
    public CrmDatabase Database => _services.GetRequiredService<CrmDatabase>();

    /// <param name="directory">An existing data folder (e.g. one an app process uses); a new temp folder when null.</param>
    /// <param name="configure">Replaces services after the app's own (a fake name resolver, say).</param>
    public static async Task<CrmTestHost> StartAsync(Dictionary<string, string?>? settings = null, Type? writer = null, string? directory = null,
        Action<IServiceCollection>? configure = null)
    {
        var ownsDirectory = directory is null;
        directory ??= TestPaths.NewTempDirectory("db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory, Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = directory });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddCrmCore();
        builder.AddCrmInfrastructure();
        // Pauses between attempts on a busy database are real waits for another connection, not business time.
        builder.Services.AddSingleton(sp => new DatabaseRetry(sp.GetRequiredService<ITransientFailures>(), TimeProvider.System));
        builder.Services.AddSingleton<TestActor>();
        builder.Services.AddScoped<ICurrentActor>(sp => sp.GetRequiredService<ExplicitActor>().Value is { } fixedActor
            ? new FixedActor(fixedActor)
            : sp.GetRequiredService<TestActor>());
        builder.Services.AddSingleton<InlineImports>();
        builder.Services.AddSingleton<InlineRunQueue>();
        builder.Services.AddSingleton<Crm.Core.Runs.IRunQueue>(sp => sp.GetRequiredService<InlineRunQueue>());
        builder.Services.AddSingleton<InlineExports>();
        builder.Services.AddSingleton<InlineScans>();
        if (writer is not null) builder.Services.AddSingleton(typeof(Crm.Infrastructure.Imports.IImportBatchWriter), writer);
        configure?.Invoke(builder.Services);
        var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var host = new CrmTestHost(services, directory, ownsDirectory);
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return host;
    }

    /// <summary>Issues an admin API key straight into the database (what the admin page does) and returns it in clear.</summary>
    public async Task<string> CreateApiKeyAsync(long workspaceId, UserRole role = UserRole.Admin)
    {
        var (key, prefix, hash) = Crm.Core.ApiKeys.ApiKeyFormat.Generate();
        await using var db = Database.Create(Crm.Core.Common.Actor.System(workspaceId));
        db.ApiKeys.Add(new Crm.Core.ApiKeys.ApiKey { Name = "test", Prefix = prefix, SecretHash = hash, Role = role });
        await db.SaveChangesAsync();
        return key;
    }

    /// <summary>A new workspace with its default pipeline and an admin (who has a password).</summary>
    public async Task<TestWorkspace> CreateWorkspaceAsync(string name = "Workspace")
    {
        await using var scope = _services.CreateAsyncScope();
        var (workspace, admin) = await scope.ServiceProvider.GetRequiredService<WorkspaceProvisioner>()
            .CreateAsync(name, "Admin of " + name, $"admin-{Guid.NewGuid():N}@{name.ToLowerInvariant().Replace(' ', '-')}.example", "correct-horse-1");
        return new TestWorkspace(workspace.Id, admin.Id);
    }

    /// <summary>Runs a use case handler as <paramref name="actor"/>.</summary>
    public async Task<TResult> RunAsync<THandler, TResult>(Actor actor, Func<THandler, Task<TResult>> call) where THandler : notnull
    {
        Actor.Current = actor;
        await using var scope = _services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    public async Task RunAsync<THandler>(Actor actor, Func<THandler, Task> call) where THandler : notnull
    {
        Actor.Current = actor;
        await using var scope = _services.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    public T Resolve<T>() where T : notnull => _services.GetRequiredService<T>();

    public InlineImports Jobs => _services.GetRequiredService<InlineImports>();
    public InlineRunQueue Runs => _services.GetRequiredService<InlineRunQueue>();
    public InlineExports Exports => _services.GetRequiredService<InlineExports>();
    public InlineScans Scans => _services.GetRequiredService<InlineScans>();

    private sealed class FixedActor(Actor actor) : ICurrentActor
    {
        public ValueTask<Actor> GetAsync(CancellationToken ct = default) => ValueTask.FromResult(actor);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDirectory) try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
