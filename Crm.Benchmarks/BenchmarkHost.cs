using Crm.Core;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure;
using Crm.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crm.Benchmarks;

/// <summary>The app's Core and Infrastructure, wired as the app wires them, on a SQLite file in a scratch folder.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchmarkHost(ServiceProvider services, string directory, FixedActor actor)
    {
        _services = services;
        Directory = directory;
        Actor = actor;
    }

    public string Directory { get; }
    public FixedActor Actor { get; }
    public CrmDatabase Database => _services.GetRequiredService<CrmDatabase>();
    public string DatabaseFile => Path.Combine(Directory, "crm.db");

    public static async Task<BenchmarkHost> StartAsync(string? directory, bool keep = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "crm-bench-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // Not the data folder: a content root is watched for configuration changes, and every database write would wake the watcher.
            EnvironmentName = "Benchmark", ContentRootPath = AppContext.BaseDirectory, Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Database:DataDirectory"] = directory, ["Jobs:Enabled"] = "false" });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddCrmCore();
        builder.AddCrmInfrastructure();
        var actor = new FixedActor();
        builder.Services.AddScoped<ICurrentActor>(sp => sp.GetRequiredService<ExplicitActor>().Value is { } value ? new FixedActor { Current = value } : actor);
        builder.Services.AddSingleton<Crm.Core.Runs.IRunQueue, NoScheduler>();
        var services = builder.Services.BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new BenchmarkHost(services, directory, actor) { _keep = keep };
    }

    private bool _keep;

    /// <summary>Runs <paramref name="call"/> in its own scope as <paramref name="actor"/>, as a request or a job would.</summary>
    public async Task<T> RunScopedAsync<T>(Func<IServiceProvider, Task<T>> call, Actor actor)
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = actor;
        return await call(scope.ServiceProvider);
    }

    public async Task<T> RunAsync<THandler, T>(Func<THandler, Task<T>> call) where THandler : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<THandler>());
    }

    public T Resolve<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>The benchmark's workspace and its admin, provisioned as the app does it.</summary>
    public async Task<(long WorkspaceId, long AdminId)> CreateWorkspaceAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var (workspace, admin) = await scope.ServiceProvider.GetRequiredService<Crm.Infrastructure.Seeding.WorkspaceProvisioner>()
            .CreateAsync("Bench", "Admin", "admin@bench.example", null);
        return (workspace.Id, admin.Id);
    }

    /// <summary>The workspace's admin, acting in the app (what a child process measures a use case as).</summary>
    public async Task<Crm.Core.Common.Actor> AdminOfAsync(long workspaceId)
    {
        var adminId = await RunScopedAsync(async services =>
        {
            var db = await services.GetRequiredService<ICrmDbFactory>().CreateAsync();
            await using (db) return db.Users.Where(u => u.Role == UserRole.Admin).Select(u => u.Id).First();
        }, Crm.Core.Common.Actor.System(workspaceId));
        return new Crm.Core.Common.Actor(workspaceId, adminId, UserRole.Admin, ChangeSource.User);
    }

    /// <summary>A raw connection for seeding millions of rows: WAL, no syncing (a lost seed is simply made again).</summary>
    public async Task<Microsoft.Data.Sqlite.SqliteConnection> OpenSeedingConnectionAsync()
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var pragma = new Microsoft.Data.Sqlite.SqliteCommand("PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;", connection);
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Now, as EF Core's SQLite provider stores a DateTimeOffset.</summary>
    public static long StoredNow() =>
        (long)new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(DateTimeOffset.UtcNow)!;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_keep) try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

public sealed class FixedActor : ICurrentActor
{
    public Actor Current { get; set; } = Actor.Anonymous;
    public ValueTask<Actor> GetAsync(CancellationToken ct = default) => ValueTask.FromResult(Current);
}

/// <summary>The benchmark runs its work itself; nothing is handed to a scheduler.</summary>
public sealed class NoScheduler : Crm.Core.Runs.IRunQueue
{
    public Task EnqueueAsync(Crm.Core.Runs.Run run, CancellationToken ct = default) => Task.CompletedTask;
}
