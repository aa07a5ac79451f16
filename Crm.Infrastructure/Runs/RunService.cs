using Crm.Core.Common;
using Crm.Core.Runs;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Runs;

/// <summary>
/// The one writer of run rows (see <see cref="IRunService"/>). Each change is a single guarded statement through
/// <see cref="DatabaseRetry"/>, on a context of its own, so a busy database delays a beat instead of killing a run.
/// </summary>
public sealed class RunService(CrmDatabase database, IRunQueue queue, DatabaseRetry retry, TimeProvider time, TimeSpan staleAfter) : IRunService
{
    public TimeSpan StaleAfter => staleAfter;

    /// <summary>Run rows of every workspace: callers name the run; workspace checks are the use cases' own.</summary>
    private CrmDbContext Open() => database.Create(Actor.Anonymous);

    private static IQueryable<Run> Runs(CrmDbContext db) => db.Runs.IgnoreQueryFilters();

    public async Task<Run> QueueAsync(RunRequest request, CancellationToken ct = default)
    {
        var run = await retry.RunAsync(async t =>
        {
            await using var db = Open();
            var active = await Runs(db).AsNoTracking()
                .Where(r => r.WorkspaceId == request.WorkspaceId && r.Kind == request.Kind && r.SubjectId == request.SubjectId
                            && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(t);
            if (active is not null) return (Run: active, New: false);
            var created = new Run
            {
                WorkspaceId = request.WorkspaceId, Kind = request.Kind, SubjectId = request.SubjectId, Status = RunStatus.Queued,
                Total = request.Total, RequestedByUserId = request.RequestedByUserId, QueuedAt = time.GetUtcNow(), NotBefore = request.NotBefore,
            };
            // Inserted as the run's own workspace: the record-keeping rules refuse a row without one.
            await using var owned = database.Create(Actor.System(request.WorkspaceId));
            owned.Runs.Add(created);
            await owned.SaveChangesAsync(t);
            return (Run: created, New: true);
        }, ct);
        // A queued run is handed to a worker again too: its worker may be gone (asking again is how a person nudges it).
        if (run.New || run.Run.Status == RunStatus.Queued) await queue.EnqueueAsync(run.Run, ct);
        return run.Run;
    }

    public Task<Run?> ClaimAsync(long runId, string runnerId, CancellationToken ct = default) =>
        retry.RunAsync(async t =>
        {
            await using var db = Open();
            var now = time.GetUtcNow();
            var stale = now - staleAfter;
            var claimed = await Runs(db)
                .Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running && (r.HeartbeatAt == null || r.HeartbeatAt < stale)))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Running)
                    .SetProperty(r => r.RunnerId, runnerId)
                    .SetProperty(r => r.HeartbeatAt, now)
                    .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1), t);
            return claimed == 0 ? null : await Runs(db).AsNoTracking().SingleAsync(r => r.Id == runId, t);
        }, ct);

    public async Task<bool> BeatAsync(long runId, string runnerId, RunProgress progress, CancellationToken ct = default)
    {
        var stage = Cut(progress.Stage, 64);
        return await retry.RunAsync(async t =>
        {
            await using var db = Open();
            var now = time.GetUtcNow();
            return await Runs(db).Where(r => r.Id == runId && r.RunnerId == runnerId && r.Status == RunStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.HeartbeatAt, now)
                    .SetProperty(r => r.Stage, stage)
                    .SetProperty(r => r.Done, progress.Done)
                    .SetProperty(r => r.Total, r => progress.Total ?? r.Total), t) > 0;
        }, ct);
    }

    public async Task<bool> FinishAsync(long runId, string runnerId, RunOutcome outcome, CancellationToken ct = default)
    {
        if (outcome.Status is RunStatus.Queued or RunStatus.Running) throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Status, "A run finishes succeeded, failed or cancelled.");
        var (status, summary, result) = (outcome.Status, Cut(outcome.Summary, RunLimits.MaxError), outcome.Result);
        var (stage, done, total) = (Cut(outcome.Progress?.Stage, 64), outcome.Progress?.Done, outcome.Progress?.Total);
        var error = status == RunStatus.Failed ? summary : null;
        return await retry.RunAsync(async t =>
        {
            await using var db = Open();
            var now = time.GetUtcNow();
            return await Runs(db).Where(r => r.Id == runId && r.RunnerId == runnerId && r.Status == RunStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, status).SetProperty(r => r.Summary, summary).SetProperty(r => r.Result, result)
                    .SetProperty(r => r.FinishedAt, now).SetProperty(r => r.HeartbeatAt, now).SetProperty(r => r.RunnerId, (string?)null)
                    .SetProperty(r => r.LastError, r => error ?? r.LastError)
                    .SetProperty(r => r.Stage, r => stage ?? r.Stage).SetProperty(r => r.Done, r => done ?? r.Done).SetProperty(r => r.Total, r => total ?? r.Total), t) > 0;
        }, CancellationToken.None);
    }

    public Task ReleaseAsync(long runId, string runnerId, string? error, CancellationToken ct = default)
    {
        var text = Cut(error, RunLimits.MaxError);
        return retry.RunAsync(async t =>
        {
            await using var db = Open();
            var now = time.GetUtcNow();
            // On shutdown the heartbeat is cleared, so another runner takes it at once; after an error it marks when the pause began.
            DateTimeOffset? beat = error is null ? null : now;
            return await Runs(db).Where(r => r.Id == runId && r.RunnerId == runnerId && r.Status == RunStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Queued)
                    .SetProperty(r => r.RunnerId, (string?)null)
                    .SetProperty(r => r.HeartbeatAt, beat)
                    .SetProperty(r => r.Failures, r => error == null ? r.Failures : r.Failures + 1)
                    .SetProperty(r => r.LastError, r => error == null ? r.LastError : text), t);
        }, CancellationToken.None);
    }

    public async Task<Run?> RetryAsync(long runId, CancellationToken ct = default)
    {
        var retried = await retry.RunAsync(async t =>
        {
            await using var db = Open();
            return await Runs(db).Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Failed))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RunStatus.Queued).SetProperty(r => r.Failures, 0)
                    .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null).SetProperty(r => r.HeartbeatAt, (DateTimeOffset?)null), t);
        }, ct);
        var run = await GetAsync(runId, ct);
        if (retried > 0 && run is not null) await queue.EnqueueAsync(run, ct);
        return run;
    }

    public async Task<Run?> GetAsync(long runId, CancellationToken ct = default)
    {
        await using var db = Open();
        return await Runs(db).AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
    }

    public async Task<Run?> FindActiveAsync(RunKind kind, long subjectId, CancellationToken ct = default)
    {
        await using var db = Open();
        return await Runs(db).AsNoTracking()
            .Where(r => r.Kind == kind && r.SubjectId == subjectId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// The heartbeat of a runner that commits its progress in a transaction of its own (an import batch, a rollback
    /// batch), written in that transaction: false when the lease is lost, and the caller must roll back.
    /// </summary>
    public static async Task<bool> BeatWithinAsync(CrmDbContext db, RunLease lease, RunProgress progress, DateTimeOffset now, CancellationToken ct)
    {
        var stage = Cut(progress.Stage, 64);
        return await db.Runs.IgnoreQueryFilters().Where(r => r.Id == lease.RunId && r.RunnerId == lease.RunnerId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.Stage, stage)
                .SetProperty(r => r.Done, progress.Done)
                .SetProperty(r => r.Total, r => progress.Total ?? r.Total), ct) == 1;
    }

    /// <summary>
    /// <see cref="BeatWithinAsync"/> as SQLite SQL, for writers on SQLite's own API ($run, $runner, $now as stored, $stage, $done).
    /// </summary>
    public const string SqliteBeatWithin = """
        UPDATE "Runs" SET "HeartbeatAt" = $now, "Stage" = $stage, "Done" = $done
        WHERE "Id" = $run AND "RunnerId" = $runner AND "Status" = 1
        """;

    public async Task<Run?> LatestAsync(long workspaceId, RunKind kind, long subjectId, CancellationToken ct = default)
    {
        await using var db = Open();
        return await Runs(db).AsNoTracking().Where(r => r.WorkspaceId == workspaceId && r.Kind == kind && r.SubjectId == subjectId)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<Run?> LatestFinishedAsync(long workspaceId, RunKind kind, long subjectId, CancellationToken ct = default)
    {
        await using var db = Open();
        return await Runs(db).AsNoTracking().Where(r => r.WorkspaceId == workspaceId && r.Kind == kind && r.SubjectId == subjectId && r.FinishedAt != null)
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<IReadOnlyList<StalledRun>> FindStalledAsync(CancellationToken ct = default)
    {
        await using var db = Open();
        var stale = time.GetUtcNow() - staleAfter;
        return await Runs(db).AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && (r.HeartbeatAt == null || r.HeartbeatAt < stale)
                        || r.Status == RunStatus.Queued && r.Failures < RunLimits.MaxFailures
                                                        && (r.HeartbeatAt ?? r.NotBefore ?? r.QueuedAt) < stale)
            .OrderBy(r => r.Id)
            .Select(r => new StalledRun(r.Id, r.Kind, r.WorkspaceId, r.SubjectId))
            .ToListAsync(ct);
    }

    private static string? Cut(string? value, int max) => FieldLimits.Cut(value, max);
}
