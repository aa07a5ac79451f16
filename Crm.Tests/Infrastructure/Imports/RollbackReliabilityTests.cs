using Crm.Core.Runs;
using System.Text;
using Crm.Core.Common;
using Crm.Core.Imports;
using Crm.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Crm.Tests.Infrastructure.Imports;

/// <summary>
/// A rollback that meets a busy database, an error or a restart: it waits, resumes where it stopped, and reports
/// exactly what it did (its counts are committed with each batch).
/// </summary>
public sealed class RollbackReliabilityTests : IAsyncLifetime
{
    private const int Existing = 1_200;
    private const int Created = 2_500;
    private CrmTestHost _host = default!;
    private TestWorkspace _ws = default!;
    private string _data = default!;

    public async ValueTask InitializeAsync()
    {
        _data = TestPaths.NewTempDirectory("rollback");
        // A busy timeout of one second instead of thirty, so a lock held for a few seconds outlasts it.
        _host = await CrmTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_data, "crm.db")};Default Timeout=1;Pooling=True",
        });
        _ws = await _host.CreateWorkspaceAsync("Acme");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, true); } catch (IOException) { }
    }

    /// <summary>The first import creates the people the second one updates; the second also creates as many again.</summary>
    private async Task<ImportView> ImportToRollBackAsync()
    {
        static string Csv(int from, int to, string city)
        {
            var csv = new StringBuilder("First Name,Last Name,Email,City\n");
            for (var i = from; i < to; i++) csv.Append("Person,Number ").Append(i).Append(",person").Append(i).Append("@rollback.example,").Append(city).Append('\n');
            return csv.ToString();
        }
        var first = await _host.ImportAsync(_ws, Csv(0, Existing, "Springfield"));
        Assert.Equal(Existing, first.RowsCreated);
        var second = await _host.ImportAsync(_ws, Csv(0, Existing + Created, "Shelbyville"), new ImportOptions { Strategy = DuplicateStrategy.Update });
        Assert.Equal((Created, Existing), (second.RowsCreated, second.RowsUpdated));
        return second;
    }

    private async Task AssertFullyRolledBackAsync(long importId)
    {
        var view = await _host.RunAsync<GetImportHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(importId));
        Assert.Equal(ImportStatus.RolledBack, view.Status);
        Assert.Equal((Created, Existing, 0), (view.RollbackDeleted, view.RollbackRestored, view.RollbackKeptChanged));
        Assert.Null(view.RollbackError);
        await using var db = _host.Database.Create(Actor.System(_ws.Id));
        Assert.Equal(Existing, await db.Contacts.CountAsync());
        Assert.Equal(0, await db.Contacts.CountAsync(c => c.City != "Springfield"));
        // Each record restored once: one rollback history row per field it put back, never two.
        var restores = await db.FieldChanges.Where(f => f.SourceRef == $"rollback:import:{importId}" && f.Field == "City").CountAsync();
        Assert.Equal(Existing, restores);
    }

    [Fact]
    public async Task Rollback_WhileAnotherConnectionHoldsTheDatabasePastItsBusyTimeout_WaitsAndFinishesExactly()
    {
        var import = await ImportToRollBackAsync();
        await _host.RunAsync<StartRollbackHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id, false));

        // Another writer (a scan, an import) takes the write lock for three busy timeouts.
        await using var other = new SqliteConnection(_host.Database.ConnectionString);
        await other.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = new SqliteCommand("BEGIN IMMEDIATE;", other)) await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        var release = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await using var commit = new SqliteCommand("COMMIT;", other);
            await commit.ExecuteNonQueryAsync();
        });

        await _host.Jobs.RunAllAsync(ct: TestContext.Current.CancellationToken);
        await release;

        await AssertFullyRolledBackAsync(import.Id);
    }

    [Fact]
    public async Task Rollback_StoppedByAnError_KeepsWhatItDidAndCounted_IsRetriedByTheWatchdog_AndFinishesExactly()
    {
        var import = await ImportToRollBackAsync();
        await _host.RunAsync<StartRollbackHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id, false));

        // The first attempt stops on an error after two batches (of 500 restored records each).
        await RunRollbackAsync(import.Id, failAfterBatches: 2);
        var stopped = await _host.RunAsync<GetImportHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id));
        Assert.Equal(ImportStatus.RollingBack, stopped.Status);
        Assert.NotNull(stopped.RollbackError);
        Assert.True(stopped.CanResumeRollback);
        Assert.Equal((0, 1_000, 0), (stopped.RollbackDeleted, stopped.RollbackRestored, stopped.RollbackKeptChanged));
        await using (var db = _host.Database.Create(Actor.System(_ws.Id)))
            Assert.Equal(1_000, await db.Contacts.CountAsync(c => c.City == "Springfield"));

        // Not at once: the rescue job tries it again once the stale period has passed.
        var runs = _host.Resolve<IRunService>();
        Assert.DoesNotContain(await runs.FindStalledAsync(TestContext.Current.CancellationToken), s => s.SubjectId == import.Id);
        _host.Time.Advance(TimeSpan.FromMinutes(3));
        // (The duplicate scan the import queued is stalled too here: no worker runs in this test.)
        var stalled = Assert.Single(await runs.FindStalledAsync(TestContext.Current.CancellationToken), s => s.Kind == RunKind.ImportRollback);
        Assert.Equal((import.Id, RunKind.ImportRollback), (stalled.SubjectId, stalled.Kind));

        await RunRollbackAsync(import.Id, failAfterBatches: null);
        await AssertFullyRolledBackAsync(import.Id);
    }

    [Fact]
    public async Task Rollback_ThatKeepsFailing_WaitsForAPerson_AndResumingItFinishesExactly()
    {
        var import = await ImportToRollBackAsync();
        await _host.RunAsync<StartRollbackHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id, false));
        var runs = _host.Resolve<IRunService>();
        for (var attempt = 1; attempt <= RollbackRunner.MaxAttempts; attempt++)
        {
            await RunRollbackAsync(import.Id, failAfterBatches: 1);
            _host.Time.Advance(TimeSpan.FromMinutes(3));
        }

        // Tried often enough: the rescue job leaves it, the page offers to resume it.
        Assert.DoesNotContain(await runs.FindStalledAsync(TestContext.Current.CancellationToken), s => s.Kind == RunKind.ImportRollback);
        var waiting = await _host.RunAsync<GetImportHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id));
        Assert.Contains("Resume", waiting.RollbackError, StringComparison.Ordinal);
        // One batch an attempt: 500, 500 and 200 restored, the step to deleting, 2,000 deleted.
        Assert.Equal((Existing, 2_000), (waiting.RollbackRestored, waiting.RollbackDeleted));

        // Asking for the rollback again resumes it (with the choice made at the start), after its last batch.
        var resumed = await _host.RollBackAsync(_ws, import.Id, restoreChanged: true);
        Assert.Equal(ImportStatus.RolledBack, resumed.Status);
        await AssertFullyRolledBackAsync(import.Id);
    }

    [Fact]
    public async Task Rollback_BeingRunByAnotherRunner_IsNotStartedTwice()
    {
        var import = await ImportToRollBackAsync();
        await _host.RunAsync<StartRollbackHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id, false));
        var runs = _host.Resolve<IRunService>();
        var rollback = await runs.FindActiveAsync(RunKind.ImportRollback, import.Id, TestContext.Current.CancellationToken);
        Assert.NotNull(await runs.ClaimAsync(rollback!.Id, "other-runner", TestContext.Current.CancellationToken));

        await RunRollbackAsync(import.Id, failAfterBatches: null);

        var view = await _host.RunAsync<GetImportHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id));
        Assert.Equal((ImportStatus.RollingBack, 0, 0), (view.Status, view.RollbackDeleted, view.RollbackRestored));
        var again = await Assert.ThrowsAsync<ValidationFailedException>(() => _host.RunAsync<StartRollbackHandler, ImportView>(_ws.Admin(), h => h.HandleAsync(import.Id, false)));
        Assert.Contains("being rolled back", again.Errors.SelectMany(e => e.Value).Single(), StringComparison.Ordinal);
    }

    private async Task RunRollbackAsync(long importId, int? failAfterBatches)
    {
        await using var scope = _host.Resolve<IServiceProvider>().CreateAsyncScope();
        var services = scope.ServiceProvider;
        var store = services.GetRequiredService<IImportRollbackStore>();
        var runner = new RollbackRunner(services.GetRequiredService<IImportJobStore>(),
            failAfterBatches is { } n ? new FailingStore(store, n) : store, services.GetRequiredService<IRunService>(),
            services.GetRequiredService<DatabaseRetry>(), _host.Time, NullLogger<RollbackRunner>.Instance);
        await runner.RunAsync(importId, TestContext.Current.CancellationToken);
    }

    /// <summary>Lets a number of batches through, then fails as a bug or a full disk would.</summary>
    private sealed class FailingStore(IImportRollbackStore inner, int batches) : IImportRollbackStore
    {
        private int _done;

        public Task<RollbackPreview> PreviewAsync(ImportJob job, CancellationToken ct) => inner.PreviewAsync(job, ct);

        public async Task<bool> RollBackBatchAsync(long importId, RunLease lease, Actor actor, DateTimeOffset now, CancellationToken ct)
        {
            if (_done++ == batches) throw new InvalidOperationException("disk I/O error");
            return await inner.RollBackBatchAsync(importId, lease, actor, now, ct);
        }
    }
}
