using Crm.Core.Common;
using Crm.Core.Duplicates;
using Crm.Core.Integrations.Connections;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations.Sync;

public sealed record SyncRunView(long Id, string Trigger, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, SyncRunOutcome Outcome,
    int ReadIn, int WrittenIn, int ReadOut, int WrittenOut, int Conflicts, int Errors, int ApiCalls, string? Error);

public sealed record SyncRecordProblem(long SyncRecordId, RecordType RecordType, long RecordId, string ExternalId, SyncRecordStatus Status,
    string? Error, int ErrorCount, DateTimeOffset? LastAttemptAt);

/// <summary>Records failing for one reason (the provider's message), with the first of them.</summary>
public sealed record SyncErrorGroup(string Reason, int Count, IReadOnlyList<SyncRecordProblem> Records);

public sealed record DailyCalls(DateOnly Day, int Calls, int Throttled, int Failed);

public sealed record SyncStateView(string ObjectType, string? Cursor, DateTimeOffset? LastSyncAt, SyncStage Stage, long RecordsRead, long RecordsWritten,
    int FailuresInARow, string? LastError);

/// <summary>A connection's sync health as its page shows it.</summary>
public sealed record ConnectionHealth(IntegrationView Connection, int InSync, int Failing, int Excluded, IReadOnlyList<SyncRunView> Runs,
    IReadOnlyList<SyncErrorGroup> Errors, IReadOnlyList<SyncRecordProblem> ExcludedRecords, IReadOnlyList<DailyCalls> Calls,
    IReadOnlyList<SyncStateView> States, DateTimeOffset? NextRunAt)
{
    /// <summary>A mailbox's last completeness check (the nightly run's figures); null for other connections and before the first.</summary>
    public Email.MailboxCheck? Completeness => Email.MailboxCheck.FromJson(States.FirstOrDefault(s => s.ObjectType == Email.MailboxCheck.ObjectType)?.Cursor);
}

/// <summary>
/// Sync health of one connection: records in sync, failing and excluded; the last runs; failures grouped by reason
/// with the records they hit; calls per day over the last week; each object type's position. Admins see any
/// connection's, people their own — never a token.
/// </summary>
public sealed class GetConnectionHealthHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule, TimeProvider time, Calls.ProviderBudgets budgets)
{
    public const int RunsShown = 30;
    public const int GroupsShown = 20;
    public const int RecordsPerGroup = 20;

    public async Task<ConnectionHealth> HandleAsync(long integrationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await ConnectionAccess.LoadAsync(db, integrationId, ct);
        var view = (await new ListIntegrationsHandler(dbFactory, budgets, time).HandleAsync(ct)).Single(v => v.Id == integrationId);

        var records = db.SyncRecords.AsNoTracking().Where(r => r.IntegrationId == integrationId);
        var counts = await records.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var runs = await db.SyncRuns.AsNoTracking().Where(r => r.IntegrationId == integrationId).OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(RunsShown)
            .Select(r => new SyncRunView(r.Id, r.Trigger, r.StartedAt, r.FinishedAt, r.Outcome, r.ReadIn, r.WrittenIn, r.ReadOut, r.WrittenOut, r.Conflicts, r.Errors, r.ApiCalls, r.Error))
            .ToListAsync(ct);

        var reasons = await records.Where(r => r.Status == SyncRecordStatus.Failing).GroupBy(r => r.LastError ?? "")
            .Select(g => new { Reason = g.Key, Count = g.Count() }).OrderByDescending(g => g.Count).Take(GroupsShown).ToListAsync(ct);
        var groups = new List<SyncErrorGroup>();
        foreach (var reason in reasons)
        {
            var hit = await records.Where(r => r.Status == SyncRecordStatus.Failing && (r.LastError ?? "") == reason.Reason)
                .OrderByDescending(r => r.LastAttemptAt).Take(RecordsPerGroup).Select(Problem).ToListAsync(ct);
            groups.Add(new SyncErrorGroup(reason.Reason.Length == 0 ? "No reason given" : reason.Reason, reason.Count, hit));
        }
        var excluded = await records.Where(r => r.Status == SyncRecordStatus.Excluded).OrderByDescending(r => r.UpdatedAt).Take(RecordsPerGroup).Select(Problem).ToListAsync(ct);

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = today.AddDays(-6);
        var usage = await db.IntegrationUsage.AsNoTracking().Where(u => u.IntegrationId == integrationId && u.Day >= since)
            .ToDictionaryAsync(u => u.Day, u => new DailyCalls(u.Day, u.Calls, u.Throttled, u.Failed), ct);
        var calls = Enumerable.Range(0, 7).Select(i => since.AddDays(i)).Select(d => usage.GetValueOrDefault(d) ?? new DailyCalls(d, 0, 0, 0)).ToList();

        var states = await db.SyncStates.AsNoTracking().Where(s => s.IntegrationId == integrationId).OrderBy(s => s.ObjectType)
            .Select(s => new SyncStateView(s.ObjectType, s.Cursor, s.LastSyncAt, s.Stage, s.RecordsRead, s.RecordsWritten, s.FailuresInARow, s.LastError)).ToListAsync(ct);

        return new ConnectionHealth(view, counts.GetValueOrDefault(SyncRecordStatus.InSync), counts.GetValueOrDefault(SyncRecordStatus.Failing),
            counts.GetValueOrDefault(SyncRecordStatus.Excluded), runs, groups, excluded, calls, states, await schedule.NextRunAsync(integrationId, ct));
    }

    private static readonly System.Linq.Expressions.Expression<Func<SyncRecord, SyncRecordProblem>> Problem =
        r => new SyncRecordProblem(r.Id, r.RecordType, r.RecordId, r.ExternalId, r.Status, r.LastError, r.ErrorCount, r.LastAttemptAt);
}
