using System.Diagnostics;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Duplicates;

/// <summary>
/// Scans a workspace: every contact and account through the engine, pairs at or above the review threshold into the
/// queue (pairs someone dismissed or merged never come back), and — when the workspace allows it — pairs the engine
/// is certain of (100) merged at once. The queue is written in small transactions, each tried again on a busy
/// database: a scan that finds a million pairs never holds the database for long, so imports and rollbacks running
/// meanwhile are delayed by a moment at most. A scan is safe to run again from the start (after a crash Quartz does).
/// </summary>
public sealed partial class DuplicateScanner(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time, ILogger<DuplicateScanner> logger)
{
    /// <summary>Queue rows written per transaction: a few milliseconds of holding the write lock each.</summary>
    public const int WriteBatch = 2_000;

    /// <summary>Scans the actor's workspace. Its run (<see cref="DuplicateScanRun"/>) says when it started and what it found.</summary>
    /// <param name="stage">Told each step ("Reading", "Comparing", "Queueing", "Merging") and each write: the run's heartbeat.</param>
    public async Task<ScanResult> RunAsync(CancellationToken ct, Func<string, Task>? stage = null)
    {
        var clock = Stopwatch.StartNew();
        _stage = stage ?? (_ => Task.CompletedTask);
        Workspaces.Workspace workspace;
        await using (var db = await dbFactory.CreateAsync(ct))
            workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == db.Actor.WorkspaceId, ct);
        return await ScanAsync(workspace, clock, ct);
    }

    private Func<string, Task> _stage = _ => Task.CompletedTask;

    private async Task<ScanResult> ScanAsync(Workspaces.Workspace workspace, Stopwatch clock, CancellationToken ct)
    {
        var engine = new DuplicateEngine();
        IReadOnlyList<DuplicatePair> contactPairs, accountPairs;
        await _stage("Reading");
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var contacts = new List<ContactKey>();
            await foreach (var c in db.Contacts.AsNoTracking().Select(c => new { c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone })
                               .AsAsyncEnumerable().WithCancellation(ct))
                contacts.Add(ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone));
            contactPairs = engine.Contacts(contacts, workspace.DuplicateReviewThreshold);
            contacts = null;
            var accounts = new List<AccountKey>();
            await foreach (var a in db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Domain, a.Name }).AsAsyncEnumerable().WithCancellation(ct))
                accounts.Add(AccountKey.Of(a.Id, a.Domain, a.Name));
            accountPairs = engine.Accounts(accounts, workspace.DuplicateReviewThreshold);
        }
        var compared = engine.PairsCompared;

        await _stage("Queueing");
        var queued = await QueueAsync(RecordType.Contact, contactPairs, ct) + await QueueAsync(RecordType.Account, accountPairs, ct);
        var merged = 0;
        if (workspace.DuplicateAutoMerge)
        {
            await _stage("Merging");
            merged += await AutoMergeAsync(RecordType.Contact, contactPairs, ct);
            merged += await AutoMergeAsync(RecordType.Account, accountPairs, ct);
        }
        var result = new ScanResult(contactPairs.Count, accountPairs.Count, queued, merged, compared, clock.Elapsed);
        LogScanned(workspace.Id, result.ContactPairs, result.AccountPairs, result.Queued, result.AutoMerged, result.PairsCompared, clock.ElapsedMilliseconds);
        return result;
    }

    /// <summary>New pairs into the queue, known open ones refreshed, open ones no longer found dropped; resolved pairs left alone.</summary>
    private async Task<int> QueueAsync(RecordType type, IReadOnlyList<DuplicatePair> pairs, CancellationToken ct)
    {
        Dictionary<(long, long), (long Id, DuplicateStatus Status, int Confidence, List<string> Reasons, string Rule, string GroupKey)> existing;
        await using (var db = await dbFactory.CreateAsync(ct))
            existing = await db.DuplicateCandidates.AsNoTracking().Where(d => d.RecordType == type)
                .Select(d => new { d.Id, d.RecordAId, d.RecordBId, d.Status, d.Confidence, d.Reasons, d.Rule, d.GroupKey })
                .ToDictionaryAsync(d => (d.RecordAId, d.RecordBId), d => (d.Id, d.Status, d.Confidence, d.Reasons, d.Rule, d.GroupKey), ct);

        var found = new HashSet<(long, long)>();
        var added = new List<DuplicatePair>();
        var changed = new Dictionary<long, DuplicatePair>();
        foreach (var pair in pairs)
        {
            found.Add((pair.A, pair.B));
            if (!existing.TryGetValue((pair.A, pair.B), out var candidate)) added.Add(pair);
            else if (candidate.Status == DuplicateStatus.Open && (candidate.Confidence != pair.Confidence || !candidate.Reasons.SequenceEqual(pair.Reasons)
                         || candidate.Rule != pair.Rule || candidate.GroupKey != pair.Key))
                changed[candidate.Id] = pair;
        }
        var gone = existing.Where(e => e.Value.Status == DuplicateStatus.Open && !found.Contains(e.Key)).Select(e => e.Value.Id).ToList();

        foreach (var chunk in added.Chunk(WriteBatch))
            await WriteAsync(db =>
            {
                foreach (var pair in chunk)
                    db.DuplicateCandidates.Add(new DuplicateCandidate
                    {
                        RecordType = type, RecordAId = pair.A, RecordBId = pair.B, Confidence = pair.Confidence, Reasons = [.. pair.Reasons],
                        Rule = pair.Rule, GroupKey = Truncated(pair.Key),
                    });
                return Task.CompletedTask;
            }, ct);
        foreach (var chunk in changed.Keys.Chunk(WriteBatch))
            await WriteAsync(async db =>
            {
                foreach (var candidate in await db.DuplicateCandidates.Where(d => chunk.Contains(d.Id) && d.Status == DuplicateStatus.Open).ToListAsync(ct))
                {
                    var pair = changed[candidate.Id];
                    (candidate.Confidence, candidate.Reasons, candidate.Rule, candidate.GroupKey) = (pair.Confidence, [.. pair.Reasons], pair.Rule, Truncated(pair.Key));
                }
            }, ct);
        foreach (var chunk in gone.Chunk(WriteBatch))
            await WriteAsync(async db => db.DuplicateCandidates.RemoveRange(
                await db.DuplicateCandidates.Where(d => chunk.Contains(d.Id) && d.Status == DuplicateStatus.Open).ToListAsync(ct)), ct);
        return added.Count;
    }

    private static string Truncated(string key) => key.Length > FieldLimits.GroupKey ? key[..FieldLimits.GroupKey] : key;

    /// <summary>One transaction of queue changes on a fresh context, tried again when the database is busy.</summary>
    private async Task WriteAsync(Func<ICrmDb, Task> change, CancellationToken ct)
    {
        await retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            await change(db);
            await db.SaveChangesAsync(t);
        }, ct);
        await _stage("Queueing");
    }

    private async Task<int> AutoMergeAsync(RecordType type, IReadOnlyList<DuplicatePair> pairs, CancellationToken ct)
    {
        var merged = 0;
        var gone = new HashSet<long>();
        foreach (var pair in pairs.Where(p => p.Confidence >= DuplicateThresholds.AutoMerge))
        {
            if (gone.Contains(pair.A) || gone.Contains(pair.B)) continue;
            var done = await retry.RunAsync(async t =>
            {
                await using var db = await dbFactory.CreateAsync(t);
                var candidate = await db.DuplicateCandidates.SingleOrDefaultAsync(d => d.RecordType == type && d.RecordAId == pair.A && d.RecordBId == pair.B, t);
                if (candidate is { Status: not DuplicateStatus.Open }) return false;
                // The older record stays (its id is the one other systems have seen longest).
                await Merges.MergeAsync(db, type, new MergeRequest(pair.A, pair.B), time.GetUtcNow(), t);
                return true;
            }, ct);
            if (!done) continue;
            gone.Add(pair.B);
            merged++;
        }
        return merged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate scan of workspace {WorkspaceId}: {ContactPairs} contact and {AccountPairs} account pairs, {Queued} new in the queue, {AutoMerged} merged, {PairsCompared} pairs compared, {Milliseconds} ms")]
    private partial void LogScanned(long workspaceId, int contactPairs, int accountPairs, int queued, int autoMerged, long pairsCompared, long milliseconds);
}
