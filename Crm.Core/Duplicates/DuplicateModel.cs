using Crm.Core.Common;

namespace Crm.Core.Duplicates;

public enum DuplicateStatus
{
    /// <summary>In the review queue.</summary>
    Open = 0,
    Merged = 1,
    /// <summary>"Not a duplicate": remembered, so the pair never returns.</summary>
    Dismissed = 2,
}

/// <summary>A pair the scan found (record A has the lower id), waiting for review or resolved.</summary>
public sealed class DuplicateCandidate : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public RecordType RecordType { get; set; }
    public long RecordAId { get; set; }
    public long RecordBId { get; set; }
    public int Confidence { get; set; }
    public List<string> Reasons { get; set; } = [];
    /// <summary>The strongest reason's rule (<see cref="DuplicateRules"/>) and the value both records share: the queue's group.</summary>
    public string Rule { get; set; } = "";
    public string GroupKey { get; set; } = "";
    public DuplicateStatus Status { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public long? ResolvedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One merge, kept so it can be undone: the winner's values before, what moved from the loser to the winner
/// (activities, deal links, contacts and deals of an account), and who did it. The audit log of merges.
/// </summary>
public sealed class MergeRecord : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public RecordType RecordType { get; set; }
    public long WinnerId { get; set; }
    public long LoserId { get; set; }
    /// <summary>The winner's fields the merge changed, with their values before (history's text forms).</summary>
    public Dictionary<string, string?> Before { get; set; } = [];
    public List<long> MovedActivityIds { get; set; } = [];
    /// <summary>Contacts: deals the loser was linked to (moved to the winner, or dropped where the winner was linked already).</summary>
    public List<long> MovedDealLinks { get; set; } = [];
    /// <summary>Contacts: deals the winner was already linked to, whose link with the loser was dropped.</summary>
    public List<long> DroppedDealLinks { get; set; } = [];
    /// <summary>Accounts: contacts and deals moved from the loser.</summary>
    public List<long> MovedContactIds { get; set; } = [];
    public List<long> MovedDealIds { get; set; } = [];
    /// <summary>The loser's links to other systems (HubSpot, Salesforce ids), now the winner's.</summary>
    public List<long> MovedExternalLinkIds { get; set; } = [];
    public long? MergedByUserId { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
    public long? UndoneByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class DuplicateThresholds
{
    /// <summary>The seed's Q4 thresholds.</summary>
    public const int AutoMerge = 100;
    public const int DefaultReview = 85;
    public const int DefaultPossible = 50;
}

/// <summary>The record was merged into another; its id now means that one.</summary>
public sealed class RecordMergedException(string what, long id, long winnerId) : Exception($"{what} {id} was merged into {winnerId}.")
{
    public long WinnerId { get; } = winnerId;
    public string What { get; } = what;
}

public static class Tombstones
{
    /// <summary>The record a merged id leads to now, following merges of merges (a winner can later lose too).</summary>
    public static async Task<long> FinalAsync<T>(Microsoft.EntityFrameworkCore.DbSet<T> records, long id, CancellationToken ct) where T : class, ITrackedRecord, IMergeable
    {
        for (var hops = 0; hops < 20; hops++)
        {
            var next = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.IgnoreQueryFilters(records, ["SoftDelete"]).Where(r => r.Id == id).Select(r => r.MergedIntoId), ct);
            if (next is not { } winner) return id;
            id = winner;
        }
        return id;
    }
}

/// <summary>A record that can be merged into another and stay as a tombstone.</summary>
public interface IMergeable
{
    long? MergedIntoId { get; }
}
