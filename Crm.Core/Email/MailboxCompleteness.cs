using System.Text.Json;
using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>
/// The nightly completeness check's figures for one mailbox: the provider's messages in the synced window, and of those
/// how many are logged, skipped by a rule (by which), and missing — none should be, as the same pass backfills what it
/// finds unseen. "12,482 seen, 3,107 logged, 9,375 skipped by rule, 0 missing".
/// </summary>
public sealed record MailboxCheck(DateTimeOffset CheckedAt, int Seen, int Logged, int Skipped, int Missing, int Backfilled, Dictionary<string, int> SkippedByReason)
{
    /// <summary>Kept as the position of this pseudo object type in the connection's sync states.</summary>
    public const string ObjectType = "completeness";

    public string Summary =>
        $"{Seen:N0} seen, {Logged:N0} logged, {Skipped:N0} skipped by rule, {Missing:N0} missing" + (Backfilled > 0 ? $" ({Backfilled:N0} found unseen and backfilled)" : "");

    public string ToJson() => JsonSerializer.Serialize(this);

    public static MailboxCheck? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonSerializer.Deserialize<MailboxCheck>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What the mailbox's rows say about the ids the provider listed in the window.</summary>
    public static async Task<MailboxCheck> ComputeAsync(ICrmDb db, string mailbox, IReadOnlyCollection<string> listed, int backfilled, DateTimeOffset now, CancellationToken ct)
    {
        var ids = listed.Distinct().ToList();
        var rows = new List<(MailOutcome Outcome, string? Reason)>();
        foreach (var chunk in ids.Chunk(500))
            rows.AddRange((await db.MailboxMessages.AsNoTracking().Where(m => m.Mailbox == mailbox && chunk.Contains(m.ProviderMessageId))
                .Select(m => new { m.Outcome, m.Reason }).ToListAsync(ct)).Select(r => (r.Outcome, r.Reason)));
        var skipped = rows.Where(r => r.Outcome != MailOutcome.Logged).GroupBy(r => r.Reason ?? "refused").ToDictionary(g => g.Key, g => g.Count());
        return new MailboxCheck(now, ids.Count, rows.Count(r => r.Outcome == MailOutcome.Logged), skipped.Values.Sum(), ids.Count - rows.Count, backfilled, skipped);
    }
}
