namespace Crm.Core.Sync;

/// <summary>
/// Record owners across systems (the seed's Q3): the other system's owners matched to our users by email, with a table
/// an admin can correct. A record coming in takes the mapped user, or the workspace's chosen admin when its owner maps
/// to nobody; a record going out takes our owner's counterpart (or none); a conflict keeps each side's current owner.
/// </summary>
public sealed class OwnerRules(IReadOnlyDictionary<string, long> externalToLocal, long fallbackUserId)
{
    private readonly Dictionary<long, string> _localToExternal = externalToLocal.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Select(p => p.Key).Order(StringComparer.Ordinal).First());

    /// <summary>Owners matched by email (case-blind, trimmed); an admin's edits are applied over it by the caller.</summary>
    public static Dictionary<string, long> MatchByEmail(IEnumerable<(string ExternalId, string? Email)> owners, IEnumerable<(long UserId, string Email)> users)
    {
        var byEmail = users.GroupBy(u => u.Email.Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().UserId);
        return owners.Where(o => o.Email is not null && byEmail.ContainsKey(o.Email.Trim().ToLowerInvariant()))
            .ToDictionary(o => o.ExternalId, o => byEmail[o.Email!.Trim().ToLowerInvariant()]);
    }

    public enum Source { Mapped, Fallback, None }

    /// <summary>Our user for their owner: the mapped one, or the fallback admin when it maps to nobody (or there is none).</summary>
    public (long UserId, Source Source) Incoming(string? externalOwnerId) =>
        externalOwnerId is not null && externalToLocal.TryGetValue(externalOwnerId, out var user) ? (user, Source.Mapped) : (fallbackUserId, Source.Fallback);

    /// <summary>Their owner for ours; null when our owner has no counterpart (the record goes out without an owner).</summary>
    public (string? ExternalOwnerId, Source Source) Outgoing(long? userId) =>
        userId is { } id && _localToExternal.TryGetValue(id, out var owner) ? (owner, Source.Mapped) : (null, Source.None);
}
