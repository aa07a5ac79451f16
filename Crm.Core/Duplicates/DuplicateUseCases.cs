using System.ComponentModel.DataAnnotations;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Duplicates;

/// <summary>Queues a workspace scan for duplicates (a Quartz job in the app).</summary>
public interface IDuplicateScheduler
{
    Task ScheduleScanAsync(long workspaceId, CancellationToken ct = default);
}

public sealed record RecordSummary(long Id, string Name, string? Email, string? Detail, DateTimeOffset UpdatedAt);

public sealed record DuplicatePairView(long Id, RecordType RecordType, RecordSummary A, RecordSummary B, int Confidence, IReadOnlyList<string> Reasons, DuplicateStatus Status);

public sealed record DuplicateComparison(DuplicatePairView Pair, IReadOnlyList<MergeField> Fields);

public sealed record PossibleDuplicate(long Id, string Name, string? Email, int Confidence, IReadOnlyList<string> Reasons);

public sealed record ScanResult(int ContactPairs, int AccountPairs, int Queued, int AutoMerged, long PairsCompared, TimeSpan Duration);

public sealed record DuplicateSettingsView(bool AutoMerge, int ReviewThreshold, int PossibleThreshold);

/// <summary>Where the workspace's duplicate scan stands: running (asked for or under way), and the last one finished.</summary>
public sealed record DuplicateScanStatus(bool Running, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int? Pairs, int? Milliseconds);

public sealed class DuplicateSettingsInput : IValidatableObject
{
    public bool AutoMerge { get; set; }
    [Range(50, 100, ErrorMessage = "The review threshold is between 50 and 100.")] public int ReviewThreshold { get; set; } = DuplicateThresholds.DefaultReview;
    [Range(1, 100, ErrorMessage = "The possible-duplicate threshold is between 1 and 100.")] public int PossibleThreshold { get; set; } = DuplicateThresholds.DefaultPossible;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PossibleThreshold > ReviewThreshold)
            yield return new ValidationResult("The possible-duplicate threshold cannot be above the review threshold.", [nameof(PossibleThreshold)]);
    }
}

public sealed class StartDuplicateScanHandler(ICrmDbFactory dbFactory, IDuplicateScheduler scheduler, TimeProvider time)
{
    public async Task HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        // Shown as running from now: the job may wait a moment for a free worker.
        var now = time.GetUtcNow();
        await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.DuplicateScanStartedAt, now), ct);
        await scheduler.ScheduleScanAsync(db.Actor.WorkspaceId, ct);
    }
}

public sealed class GetDuplicateScanStatusHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    /// <summary>A scan not finished after this long died with its process; the next one starts afresh.</summary>
    public static readonly TimeSpan GivenUpAfter = TimeSpan.FromMinutes(30);

    public async Task<DuplicateScanStatus> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var w = await db.Workspaces.AsNoTracking().Where(x => x.Id == db.Actor.WorkspaceId)
            .Select(x => new { x.DuplicateScanStartedAt, x.DuplicateScanFinishedAt, x.DuplicateScanPairs, x.DuplicateScanMilliseconds }).SingleAsync(ct);
        var running = w.DuplicateScanStartedAt is { } started && (w.DuplicateScanFinishedAt is not { } finished || started > finished)
            && time.GetUtcNow() - started < GivenUpAfter;
        return new DuplicateScanStatus(running, w.DuplicateScanStartedAt, w.DuplicateScanFinishedAt, w.DuplicateScanPairs, w.DuplicateScanMilliseconds);
    }
}

internal static class DuplicateViews
{
    public static async Task<IReadOnlyList<DuplicatePairView>> ViewsAsync(ICrmDb db, IReadOnlyList<DuplicateCandidate> candidates, CancellationToken ct)
    {
        var summaries = await SummariesAsync(db, candidates.GroupBy(c => c.RecordType).ToDictionary(g => g.Key, g => g.SelectMany(c => new[] { c.RecordAId, c.RecordBId }).ToHashSet()), ct);
        return candidates
            .Where(c => summaries.ContainsKey((c.RecordType, c.RecordAId)) && summaries.ContainsKey((c.RecordType, c.RecordBId)))
            .Select(c => new DuplicatePairView(c.Id, c.RecordType, summaries[(c.RecordType, c.RecordAId)], summaries[(c.RecordType, c.RecordBId)], c.Confidence, c.Reasons, c.Status))
            .ToList();
    }

    public static async Task<Dictionary<(RecordType, long), RecordSummary>> SummariesAsync(ICrmDb db, IReadOnlyDictionary<RecordType, HashSet<long>> ids, CancellationToken ct)
    {
        var result = new Dictionary<(RecordType, long), RecordSummary>();
        if (ids.TryGetValue(RecordType.Contact, out var contactIds))
            foreach (var c in await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
                         .Select(c => new { c.Id, c.FirstName, c.LastName, c.Email, Company = c.Account != null ? c.Account.Name : null, c.Phone, c.UpdatedAt }).ToListAsync(ct))
                result[(RecordType.Contact, c.Id)] = new RecordSummary(c.Id, ContactNames.Display(c.FirstName, c.LastName, c.Email), c.Email,
                    string.Join(" · ", new[] { c.Company, c.Phone }.OfType<string>()), c.UpdatedAt);
        if (ids.TryGetValue(RecordType.Account, out var accountIds))
            foreach (var a in await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).Select(a => new { a.Id, a.Name, a.Domain, a.City, a.UpdatedAt }).ToListAsync(ct))
                result[(RecordType.Account, a.Id)] = new RecordSummary(a.Id, a.Name, null, string.Join(" · ", new[] { a.Domain, a.City }.OfType<string>()), a.UpdatedAt);
        return result;
    }
}

/// <summary>The review queue, most certain first.</summary>
public sealed class ListDuplicatesHandler(ICrmDbFactory dbFactory)
{
    /// <param name="search">Every word must match a name or email (contacts) or a name or domain (accounts) of either record.</param>
    public async Task<PagedResult<DuplicatePairView>> HandleAsync(RecordType? type = null, int page = 1, int pageSize = 25, CancellationToken ct = default, string? search = null)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        (page, pageSize) = (Math.Max(1, page), Math.Clamp(pageSize, 1, 200));
        var open = db.DuplicateCandidates.AsNoTracking().Where(d => d.Status == DuplicateStatus.Open);
        if (type is { } t) open = open.Where(d => d.RecordType == t);
        // A pair whose record was deleted (or merged elsewhere) since the scan is not waiting for anyone.
        open = open.Where(d => d.RecordType == RecordType.Contact
            ? db.Contacts.Any(c => c.Id == d.RecordAId) && db.Contacts.Any(c => c.Id == d.RecordBId)
            : db.Accounts.Any(a => a.Id == d.RecordAId) && db.Accounts.Any(a => a.Id == d.RecordBId));
        foreach (var term in Text.SearchTerms(search))
        {
            var pattern = Text.ContainsPattern(term);
            var contacts = db.Contacts.Where(c => EF.Functions.Like(c.FirstName!, pattern, "\\") || EF.Functions.Like(c.LastName!, pattern, "\\") || EF.Functions.Like(c.Email!, pattern, "\\")).Select(c => c.Id);
            var accounts = db.Accounts.Where(a => EF.Functions.Like(a.Name, pattern, "\\") || EF.Functions.Like(a.Domain!, pattern, "\\")).Select(a => a.Id);
            open = open.Where(d => d.RecordType == RecordType.Contact
                ? contacts.Contains(d.RecordAId) || contacts.Contains(d.RecordBId)
                : accounts.Contains(d.RecordAId) || accounts.Contains(d.RecordBId));
        }
        var total = await open.CountAsync(ct);
        var candidates = await open.OrderByDescending(d => d.Confidence).ThenBy(d => d.Id).Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(ct);
        return new PagedResult<DuplicatePairView>(await DuplicateViews.ViewsAsync(db, candidates, ct), total, page, pageSize);
    }
}

/// <summary>
/// Two records side by side, field by field, with the values a merge keeps by default (record A kept): a queued
/// pair, or any two records someone picked (a "possible duplicate" on a record's page), scored by the same rules.
/// </summary>
public sealed class GetDuplicateComparisonHandler(ICrmDbFactory dbFactory)
{
    public async Task<DuplicateComparison> HandleAsync(long candidateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var candidate = await db.DuplicateCandidates.AsNoTracking().SingleOrDefaultAsync(d => d.Id == candidateId, ct) ?? throw new NotFoundException("Duplicate pair", candidateId);
        return await CompareAsync(db, candidate, ct);
    }

    public async Task<DuplicateComparison> HandleAsync(RecordType type, long a, long b, CancellationToken ct = default)
    {
        if (a == b) throw new ValidationFailedException("Pair", "A record cannot be merged with itself.");
        await using var db = await dbFactory.CreateAsync(ct);
        var (low, high) = (Math.Min(a, b), Math.Max(a, b));
        var candidate = await db.DuplicateCandidates.AsNoTracking().SingleOrDefaultAsync(d => d.RecordType == type && d.RecordAId == low && d.RecordBId == high, ct);
        if (candidate is null)
        {
            var (confidence, reasons) = await ScoreAsync(db, type, a, b, ct);
            candidate = new DuplicateCandidate { RecordType = type, RecordAId = low, RecordBId = high, Confidence = confidence, Reasons = reasons, Status = DuplicateStatus.Open };
        }
        // Keep the order asked for: the record whose page it came from is A, the one kept by default.
        if (candidate.RecordAId != a) (candidate.RecordAId, candidate.RecordBId) = (candidate.RecordBId, candidate.RecordAId);
        return await CompareAsync(db, candidate, ct);
    }

    private static async Task<(int, List<string>)> ScoreAsync(ICrmDb db, RecordType type, long a, long b, CancellationToken ct)
    {
        var engine = new DuplicateEngine();
        IReadOnlyList<DuplicatePair> pairs;
        if (type == RecordType.Contact)
        {
            var keys = await db.Contacts.AsNoTracking().Where(c => c.Id == a || c.Id == b)
                .Select(c => new { c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone }).ToListAsync(ct);
            if (keys.Count != 2) throw new NotFoundException("Contact", keys.Any(k => k.Id == a) ? b : a);
            var k = keys.Select(c => ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone)).ToList();
            pairs = engine.ContactAgainst(k[0], [k[1]], minimum: 1);
        }
        else
        {
            var keys = await db.Accounts.AsNoTracking().Where(x => x.Id == a || x.Id == b).Select(x => new { x.Id, x.Domain, x.Name }).ToListAsync(ct);
            if (keys.Count != 2) throw new NotFoundException("Account", keys.Any(k => k.Id == a) ? b : a);
            pairs = engine.Accounts(keys.Select(x => AccountKey.Of(x.Id, x.Domain, x.Name)).ToList(), minimum: 1);
        }
        return pairs.FirstOrDefault() is { } pair ? (pair.Confidence, pair.Reasons.ToList()) : (0, ["Picked by hand: no matching rule"]);
    }

    private static async Task<DuplicateComparison> CompareAsync(ICrmDb db, DuplicateCandidate candidate, CancellationToken ct)
    {
        var view = (await DuplicateViews.ViewsAsync(db, [candidate], ct)).SingleOrDefault()
                   ?? throw new ValidationFailedException("Pair", "One of these records no longer exists (it was merged or deleted).");
        ITrackedRecord a, b;
        if (candidate.RecordType == RecordType.Contact)
            (a, b) = (await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == candidate.RecordAId, ct), await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == candidate.RecordBId, ct));
        else
            (a, b) = (await db.Accounts.AsNoTracking().SingleAsync(x => x.Id == candidate.RecordAId, ct), await db.Accounts.AsNoTracking().SingleAsync(x => x.Id == candidate.RecordBId, ct));
        var labels = await db.CustomFieldDefinitions.AsNoTracking().Where(d => d.RecordType == candidate.RecordType).ToDictionaryAsync(d => "custom." + d.Key, d => d.Label, ct);
        return new DuplicateComparison(view, Merges.Compare(a, b, f => labels.GetValueOrDefault(f) ?? FieldLabels.Of(f)));
    }
}

/// <summary>"Not a duplicate": the pair leaves the queue and never returns.</summary>
public sealed class DismissDuplicateHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public async Task HandleAsync(long candidateId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var candidate = await db.DuplicateCandidates.SingleOrDefaultAsync(d => d.Id == candidateId, ct) ?? throw new NotFoundException("Duplicate pair", candidateId);
        Dismiss(db, candidate);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>"Not a duplicate" for two records picked by hand: remembered like a queued pair.</summary>
    public async Task HandleAsync(RecordType type, long a, long b, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        if (a == b) throw new ValidationFailedException("Pair", "A record cannot be a duplicate of itself.");
        var (low, high) = (Math.Min(a, b), Math.Max(a, b));
        await db.EnsureExistsAsync(type, low, ct);
        await db.EnsureExistsAsync(type, high, ct);
        var candidate = await db.DuplicateCandidates.SingleOrDefaultAsync(d => d.RecordType == type && d.RecordAId == low && d.RecordBId == high, ct);
        if (candidate is null)
        {
            candidate = new DuplicateCandidate { RecordType = type, RecordAId = low, RecordBId = high, Confidence = 0, Reasons = ["Picked by hand"] };
            db.DuplicateCandidates.Add(candidate);
        }
        Dismiss(db, candidate);
        await db.SaveChangesAsync(ct);
    }

    private void Dismiss(ICrmDb db, DuplicateCandidate candidate)
    {
        if (candidate.Status == DuplicateStatus.Merged) throw new ValidationFailedException("Status", "This pair has been merged; undo the merge first.");
        candidate.Status = DuplicateStatus.Dismissed;
        candidate.ResolvedAt = time.GetUtcNow();
        candidate.ResolvedByUserId = db.Actor.UserId;
    }
}

public sealed class MergeContactsHandler(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time)
{
    public Task<MergeView> HandleAsync(MergeRequest request, CancellationToken ct = default) =>
        MergeViews.MergeAsync(dbFactory, retry, RecordType.Contact, request, time.GetUtcNow(), ct);
}

public sealed class MergeAccountsHandler(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time)
{
    public Task<MergeView> HandleAsync(MergeRequest request, CancellationToken ct = default) =>
        MergeViews.MergeAsync(dbFactory, retry, RecordType.Account, request, time.GetUtcNow(), ct);
}

public sealed class UndoMergeHandler(ICrmDbFactory dbFactory, DatabaseRetry retry, TimeProvider time)
{
    public Task<MergeView> HandleAsync(long mergeId, CancellationToken ct = default) =>
        retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            Roles.EnsureAdmin(db.Actor);
            var record = await db.MergeRecords.SingleOrDefaultAsync(m => m.Id == mergeId, t) ?? throw new NotFoundException("Merge", mergeId);
            await Merges.UndoAsync(db, record, time.GetUtcNow(), t);
            return await MergeViews.ViewAsync(db, record.Id, t);
        }, ct);
}

/// <summary>The merges a record took part in, newest first (its page offers to undo them).</summary>
public sealed class ListMergesHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<MergeView>> HandleAsync(RecordType type, long recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var ids = await db.MergeRecords.AsNoTracking().Where(m => m.RecordType == type && (m.WinnerId == recordId || m.LoserId == recordId))
            .OrderByDescending(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        var views = new List<MergeView>();
        foreach (var id in ids) views.Add(await MergeViews.ViewAsync(db, id, ct));
        return views;
    }
}

internal static class MergeViews
{
    /// <summary>An admin's merge of two contacts or two accounts, answered with what it did.</summary>
    /// <remarks>One transaction, tried again with a fresh context when the database is busy.</remarks>
    public static Task<MergeView> MergeAsync(ICrmDbFactory dbFactory, DatabaseRetry retry, RecordType type, MergeRequest request, DateTimeOffset now, CancellationToken ct) =>
        retry.RunAsync(async t =>
        {
            await using var db = await dbFactory.CreateAsync(t);
            Roles.EnsureAdmin(db.Actor);
            var record = await Merges.MergeAsync(db, type, request, now, t);
            return await ViewAsync(db, record.Id, t);
        }, ct);

    public static async Task<MergeView> ViewAsync(ICrmDb db, long mergeId, CancellationToken ct)
    {
        var m = await db.MergeRecords.AsNoTracking().SingleAsync(x => x.Id == mergeId, ct);
        var by = m.MergedByUserId is { } userId ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Name).SingleOrDefaultAsync(ct) : null;
        return new MergeView(m.Id, m.RecordType, m.WinnerId, m.LoserId, m.Before.Keys.ToList(), m.MovedActivityIds.Count,
            m.MovedDealLinks.Count + m.MovedDealIds.Count, m.MovedContactIds.Count, m.CreatedAt, by, m.UndoneAt, m.MovedExternalLinkIds.Count);
    }
}

/// <summary>
/// Likely duplicates of one contact — an existing one (its page) or one being created (a warning before saving) —
/// by the scan's own rules, at or above the workspace's "possible duplicate" threshold.
/// </summary>
public sealed class FindContactDuplicatesHandler(ICrmDbFactory dbFactory)
{
    private const int MaxCandidates = 500;

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(long contactId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var c = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == contactId, ct) ?? throw new NotFoundException("Contact", contactId);
        return await FindAsync(db, ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone), c.Email, c.Phone, ct);
    }

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(ContactInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var email = Text.CleanEmail(input.Email);
        return await FindAsync(db, ContactKey.Of(0, email, input.LinkedInUrl, input.FirstName, input.LastName, input.AccountId, input.Phone), email, Text.Clean(input.Phone), ct);
    }

    private static async Task<IReadOnlyList<PossibleDuplicate>> FindAsync(ICrmDb db, ContactKey probe, string? email, string? phone, CancellationToken ct)
    {
        var threshold = await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).Select(w => w.DuplicatePossibleThreshold).SingleAsync(ct);
        var slug = probe.LinkedIn is { } l ? l[(l.LastIndexOf('/') + 1)..] : null;
        // Candidates through indexed keys: the same email, account, phone, or LinkedIn profile.
        var candidates = await db.Contacts.AsNoTracking()
            .Where(c => c.Id != probe.Id && (
                (email != null && c.Email == email)
                || (probe.AccountId != null && c.AccountId == probe.AccountId)
                || (phone != null && c.Phone == phone) || (probe.Phone != null && c.Phone == probe.Phone)
                || (slug != null && c.LinkedInUrl != null && c.LinkedInUrl.Contains(slug))))
            .Take(MaxCandidates)
            .Select(c => new { c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone })
            .ToListAsync(ct);
        var keys = candidates.Select(c => ContactKey.Of(c.Id, c.Email, c.LinkedInUrl, c.FirstName, c.LastName, c.AccountId, c.Phone)).ToList();
        var pairs = new DuplicateEngine().ContactAgainst(probe, keys, threshold);
        var byId = candidates.ToDictionary(c => c.Id);
        return pairs.Select(p =>
        {
            var other = byId[p.A == probe.Id ? p.B : p.A];
            return new PossibleDuplicate(other.Id, ContactNames.Display(other.FirstName, other.LastName, other.Email), other.Email, p.Confidence, p.Reasons);
        }).ToList();
    }
}

/// <summary>
/// Likely duplicates of one account — an existing one (its page) or one being created — by the scan's rules (the
/// same domain, the same name without legal form), at or above the workspace's "possible duplicate" threshold.
/// </summary>
public sealed class FindAccountDuplicatesHandler(ICrmDbFactory dbFactory)
{
    private const int MaxCandidates = 500;

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var a = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(x => x.Id == accountId, ct) ?? throw new NotFoundException("Account", accountId);
        return await FindAsync(db, AccountKey.Of(a.Id, a.Domain, a.Name), ct);
    }

    public async Task<IReadOnlyList<PossibleDuplicate>> HandleAsync(Accounts.AccountInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await FindAsync(db, AccountKey.Of(0, input.Domain, input.Name), ct);
    }

    private static async Task<IReadOnlyList<PossibleDuplicate>> FindAsync(ICrmDb db, AccountKey probe, CancellationToken ct)
    {
        if (probe.Domain is null && probe.Name is null) return [];
        var threshold = await db.Workspaces.Where(w => w.Id == db.Actor.WorkspaceId).Select(w => w.DuplicatePossibleThreshold).SingleAsync(ct);
        // Candidates: the same domain (indexed), or a name holding the longest word of this one's normalised name.
        var word = probe.Name?.Split(' ').OrderByDescending(w => w.Length).First();
        var pattern = word is { Length: >= 2 } ? $"%{word}%" : null;
        var candidates = await db.Accounts.AsNoTracking()
            .Where(a => a.Id != probe.Id && ((probe.Domain != null && a.Domain == probe.Domain) || (pattern != null && EF.Functions.Like(a.Name, pattern))))
            .Take(MaxCandidates)
            .Select(a => new { a.Id, a.Domain, a.Name })
            .ToListAsync(ct);
        var list = candidates.Select(a => AccountKey.Of(a.Id, a.Domain, a.Name)).Prepend(probe).ToList();
        var pairs = new DuplicateEngine().Accounts(list, threshold).Where(p => p.A == probe.Id || p.B == probe.Id);
        var byId = candidates.ToDictionary(a => a.Id);
        return pairs.Select(p =>
        {
            var other = byId[p.A == probe.Id ? p.B : p.A];
            return new PossibleDuplicate(other.Id, other.Name, other.Domain, p.Confidence, p.Reasons);
        }).ToList();
    }
}

public sealed class GetDuplicateSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<DuplicateSettingsView> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var w = await db.Workspaces.AsNoTracking().SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        return new DuplicateSettingsView(w.DuplicateAutoMerge, w.DuplicateReviewThreshold, w.DuplicatePossibleThreshold);
    }
}

public sealed class UpdateDuplicateSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<DuplicateSettingsView> HandleAsync(DuplicateSettingsInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        var w = await db.Workspaces.SingleAsync(x => x.Id == db.Actor.WorkspaceId, ct);
        (w.DuplicateAutoMerge, w.DuplicateReviewThreshold, w.DuplicatePossibleThreshold) = (input.AutoMerge, input.ReviewThreshold, input.PossibleThreshold);
        await db.SaveChangesAsync(ct);
        return new DuplicateSettingsView(w.DuplicateAutoMerge, w.DuplicateReviewThreshold, w.DuplicatePossibleThreshold);
    }
}

/// <summary>Field names as people read them ("FirstName" → "First name").</summary>
public static class FieldLabels
{
    public static string Of(string field) => field switch
    {
        "AccountId" => "Account",
        "OwnerId" => "Owner",
        "LinkedInUrl" => "LinkedIn URL",
        "AdditionalEmails" => "Other emails",
        _ => System.Text.RegularExpressions.Regex.Replace(field, "(?<=[a-z])([A-Z])", " $1") switch { var s => s[0] + s[1..].ToLowerInvariant() },
    };
}
