using System.Collections;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Deals;
using Crm.Core.History;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

/// <summary>Which record's value a merged field keeps.</summary>
public enum MergeSide
{
    Winner = 0,
    Loser = 1,
}

/// <summary>A merge as asked: keep <see cref="WinnerId"/>, fold <see cref="LoserId"/> into it; per field, whose value wins (the default otherwise).</summary>
public sealed record MergeRequest(long WinnerId, long LoserId, IReadOnlyDictionary<string, MergeSide>? Choices = null);

public sealed record MergeView(long MergeId, RecordType RecordType, long WinnerId, long LoserId, IReadOnlyList<string> ChangedFields,
    int MovedActivities, int MovedDeals, int MovedContacts, DateTimeOffset MergedAt, string? MergedBy, DateTimeOffset? UndoneAt, int MovedExternalLinks = 0,
    string? WinnerName = null, string? LoserName = null);

/// <summary>One field of two records side by side, with the value a merge keeps unless someone picks the other.</summary>
public sealed record MergeField(string Field, string Label, string? WinnerValue, string? LoserValue, MergeSide Default)
{
    public bool Differs => WinnerValue != LoserValue;
}

/// <summary>Which side of a comparison a person picked: record A (column 0) or record B (column 1).</summary>
public enum PairColumn
{
    A = 0,
    B = 1,
}

/// <summary>
/// Turns what a person picked on a comparison — per field the column whose value to keep, and which record stays —
/// into a merge request. The picked values stay picked whichever record stays: that only decides which id survives.
/// </summary>
public static class MergePicks
{
    /// <summary>The column a field keeps: the one picked, or the comparison's default (A's side is the "winner" side of <see cref="MergeField"/>).</summary>
    public static PairColumn Of(MergeField field, IReadOnlyDictionary<string, PairColumn> picks) =>
        picks.TryGetValue(field.Field, out var column) ? column : field.Default == MergeSide.Winner ? PairColumn.A : PairColumn.B;

    public static MergeRequest Request(DuplicatePairView pair, IReadOnlyList<MergeField> fields, IReadOnlyDictionary<string, PairColumn> picks, PairColumn keep)
    {
        var (winner, loser) = keep == PairColumn.A ? (pair.A.Id, pair.B.Id) : (pair.B.Id, pair.A.Id);
        var choices = fields.Where(f => f.Differs && f.Field != "AdditionalEmails")
            .ToDictionary(f => f.Field, f => Of(f, picks) == keep ? MergeSide.Winner : MergeSide.Loser, StringComparer.Ordinal);
        return new MergeRequest(winner, loser, choices);
    }
}

/// <summary>
/// Merges two contacts or two accounts: the winner gets the chosen values (by default the most recently updated
/// non-empty one), everything attached to the loser moves to the winner (activities — emails and meetings included —,
/// deal links; an account's contacts and deals), the loser stays as a tombstone pointing at the winner, and a
/// <see cref="MergeRecord"/> keeps what is needed to undo it.
/// </summary>
public static class Merges
{
    public static IReadOnlyList<MergeField> Compare(ITrackedRecord winner, ITrackedRecord loser, Func<string, string> label)
    {
        var target = ImportTarget.For(winner.RecordType);
        var fields = new List<MergeField>();
        foreach (var property in target.Properties)
        {
            if (property.Name == "CustomFields")
            {
                var w = (Dictionary<string, string>)property.Get(winner)!;
                var l = (Dictionary<string, string>)property.Get(loser)!;
                foreach (var key in w.Keys.Union(l.Keys).Order(StringComparer.Ordinal))
                {
                    var (wv, lv) = (w.GetValueOrDefault(key), l.GetValueOrDefault(key));
                    fields.Add(new MergeField("custom." + key, label("custom." + key), wv, lv, DefaultSide(winner, loser, string.IsNullOrEmpty(wv), string.IsNullOrEmpty(lv))));
                }
                continue;
            }
            var (winnerValue, loserValue) = (property.Get(winner), property.Get(loser));
            fields.Add(new MergeField(property.Name, label(property.Name), ValueText.Format(winnerValue), ValueText.Format(loserValue),
                property.Name == "AdditionalEmails" ? MergeSide.Winner : DefaultSide(winner, loser, IsEmpty(winnerValue), IsEmpty(loserValue))));
        }
        return fields;
    }

    /// <summary>The most recently updated record's value, unless it is empty and the other is not.</summary>
    private static MergeSide DefaultSide(ITrackedRecord winner, ITrackedRecord loser, bool winnerEmpty, bool loserEmpty) =>
        winnerEmpty && !loserEmpty ? MergeSide.Loser
        : loserEmpty && !winnerEmpty ? MergeSide.Winner
        : loser.UpdatedAt > winner.UpdatedAt ? MergeSide.Loser : MergeSide.Winner;

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    public static async Task<MergeRecord> MergeAsync(ICrmDb db, RecordType type, MergeRequest request, DateTimeOffset now, CancellationToken ct)
    {
        if (request.WinnerId == request.LoserId) throw new ValidationFailedException("LoserId", "A record cannot be merged into itself.");
        var (winner, loser) = type == RecordType.Contact
            ? ((ITrackedRecord)await db.Contacts.GetAsync(request.WinnerId, "Contact", ct), (ITrackedRecord)await db.Contacts.GetAsync(request.LoserId, "Contact", ct))
            : (await db.Accounts.GetAsync(request.WinnerId, "Account", ct), await db.Accounts.GetAsync(request.LoserId, "Account", ct));
        var unknown = (request.Choices ?? new Dictionary<string, MergeSide>()).Keys
            .Where(k => !ImportTarget.For(type).Has(k) && !k.StartsWith("custom.", StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0) throw new ValidationFailedException("Choices", $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "is not a field" : "are not fields")} a merge can choose.");

        var record = new MergeRecord { RecordType = type, WinnerId = winner.Id, LoserId = loser.Id, MergedByUserId = db.Actor.UserId };
        var fields = Compare(winner, loser, f => f);
        var target = ImportTarget.For(type);
        MergeSide Side(MergeField field) => request.Choices?.TryGetValue(field.Field, out var side) == true ? side : field.Default;

        foreach (var field in fields.Where(f => f.Field != "AdditionalEmails" && !f.Field.StartsWith("custom.", StringComparison.Ordinal)))
        {
            if (Side(field) != MergeSide.Loser || !field.Differs) continue;
            var property = target[field.Field];
            record.Before[field.Field] = field.WinnerValue;
            property.Set(winner, property.Get(loser));
        }
        // Custom fields, one by one like the others (contacts' and accounts' alike).
        var customFields = target["CustomFields"];
        var custom = new Dictionary<string, string>((Dictionary<string, string>)customFields.Get(winner)!, StringComparer.Ordinal);
        var customChanged = false;
        foreach (var field in fields.Where(f => f.Field.StartsWith("custom.", StringComparison.Ordinal) && f.Differs && Side(f) == MergeSide.Loser))
        {
            var key = field.Field["custom.".Length..];
            record.Before[field.Field] = field.WinnerValue;
            if (field.LoserValue is null) custom.Remove(key);
            else custom[key] = field.LoserValue;
            customChanged = true;
        }
        if (customChanged) customFields.Set(winner, custom);
        if (winner is Contact w && loser is Contact l)
        {
            // Every address either record had stays reachable: the other primary email becomes an additional one.
            var emails = w.AdditionalEmails.Concat(l.AdditionalEmails).Append(l.Email).Append(record.Before.ContainsKey("Email") ? record.Before["Email"] : null)
                .OfType<string>().Where(e => e != w.Email).Distinct(StringComparer.Ordinal).Take(FieldLimits.MaxAdditionalEmails).ToList();
            if (!emails.SequenceEqual(w.AdditionalEmails))
            {
                record.Before["AdditionalEmails"] = ValueText.Format(w.AdditionalEmails);
                w.AdditionalEmails = emails;
            }
            await MoveContactAsync(db, w, l, record, ct);
            record.MovedExternalLinkIds = await Integrations.ExternalLinks.MoveAsync(db, type, l.Id, w.Id, ct);
            l.MergedIntoId = w.Id;
            l.DeletedAt = now;
        }
        else if (winner is Account wa && loser is Account la)
        {
            await MoveAccountAsync(db, wa, la, record, ct);
            record.MovedExternalLinkIds = await Integrations.ExternalLinks.MoveAsync(db, type, la.Id, wa.Id, ct);
            la.MergedIntoId = wa.Id;
            la.DeletedAt = now;
        }

        db.FieldChanges.Add(Audit(type, winner.Id, "MergedFrom", null, $"#{loser.Id} {Describe(loser)}", now, db.Actor));
        db.FieldChanges.Add(Audit(type, loser.Id, "MergedInto", null, $"#{winner.Id} {Describe(winner)}", now, db.Actor));
        db.MergeRecords.Add(record);
        await CloseCandidatesAsync(db, type, winner.Id, loser.Id, now, ct);
        // Receivers keyed on the loser's id learn where it went (its deletion and the winner's update come as their own events).
        var kind = type == RecordType.Contact ? "contact" : "account";
        Webhooks.Outbox.Announce(db, $"{kind}.merged", Webhooks.OutboxEvent.KeyOf(kind, winner.Id), new { winnerId = winner.Id, loserId = loser.Id }, now);
        await db.SaveChangesAsync(ct);
        return record;
    }

    private static async Task MoveContactAsync(ICrmDb db, Contact winner, Contact loser, MergeRecord record, CancellationToken ct)
    {
        foreach (var activity in await db.Activities.Where(a => a.ContactId == loser.Id).ToListAsync(ct))
        {
            activity.ContactId = winner.Id;
            record.MovedActivityIds.Add(activity.Id);
        }
        var winnerDeals = await db.DealContacts.Where(d => d.ContactId == winner.Id).Select(d => d.DealId).ToListAsync(ct);
        foreach (var link in await db.DealContacts.Where(d => d.ContactId == loser.Id).ToListAsync(ct))
        {
            db.DealContacts.Remove(link);
            if (winnerDeals.Contains(link.DealId))
            {
                record.DroppedDealLinks.Add(link.DealId);
                continue;
            }
            db.DealContacts.Add(new DealContact { DealId = link.DealId, ContactId = winner.Id });
            record.MovedDealLinks.Add(link.DealId);
        }
    }

    private static async Task MoveAccountAsync(ICrmDb db, Account winner, Account loser, MergeRecord record, CancellationToken ct)
    {
        foreach (var contact in await db.Contacts.Where(c => c.AccountId == loser.Id).ToListAsync(ct))
        {
            contact.AccountId = winner.Id;
            record.MovedContactIds.Add(contact.Id);
        }
        foreach (var deal in await db.Deals.Where(d => d.AccountId == loser.Id).ToListAsync(ct))
        {
            deal.AccountId = winner.Id;
            record.MovedDealIds.Add(deal.Id);
        }
        foreach (var activity in await db.Activities.Where(a => a.AccountId == loser.Id).ToListAsync(ct))
        {
            activity.AccountId = winner.Id;
            record.MovedActivityIds.Add(activity.Id);
        }
    }

    /// <summary>Undoes a merge: the winner's values back, what moved goes back to the loser, and the loser lives again.</summary>
    public static async Task UndoAsync(ICrmDb db, MergeRecord record, DateTimeOffset now, CancellationToken ct)
    {
        if (record.UndoneAt is not null) throw new ValidationFailedException("Merge", "This merge has already been undone.");
        var type = record.RecordType;
        var (winner, loser) = type == RecordType.Contact
            ? ((ITrackedRecord)await db.Contacts.GetAsync(record.WinnerId, "Contact", ct),
               (ITrackedRecord?)await db.Contacts.IgnoreQueryFilters([Deleted]).SingleOrDefaultAsync(c => c.Id == record.LoserId, ct))
            : (await db.Accounts.GetAsync(record.WinnerId, "Account", ct), await db.Accounts.IgnoreQueryFilters([Deleted]).SingleOrDefaultAsync(a => a.Id == record.LoserId, ct));
        if (loser is null) throw new NotFoundException(type.ToString(), record.LoserId);

        var target = ImportTarget.For(type);
        foreach (var (field, before) in record.Before)
        {
            if (field.StartsWith("custom.", StringComparison.Ordinal))
            {
                var customFields = target["CustomFields"];
                var custom = new Dictionary<string, string>((Dictionary<string, string>)customFields.Get(winner)!, StringComparer.Ordinal);
                if (before is null) custom.Remove(field["custom.".Length..]);
                else custom[field["custom.".Length..]] = before;
                customFields.Set(winner, custom);
                continue;
            }
            var property = target[field];
            property.Set(winner, ValueText.Parse(property.Type, before));
        }
        if (winner is Contact wc && loser is Contact lc)
        {
            foreach (var activity in await db.Activities.Where(a => record.MovedActivityIds.Contains(a.Id) && a.ContactId == wc.Id).ToListAsync(ct))
                activity.ContactId = lc.Id;
            foreach (var link in await db.DealContacts.Where(d => d.ContactId == wc.Id && record.MovedDealLinks.Contains(d.DealId)).ToListAsync(ct))
                db.DealContacts.Remove(link);
            foreach (var dealId in record.MovedDealLinks.Concat(record.DroppedDealLinks))
                db.DealContacts.Add(new DealContact { DealId = dealId, ContactId = lc.Id });
            lc.MergedIntoId = null;
            lc.DeletedAt = null;
        }
        else if (winner is Account wa && loser is Account la)
        {
            foreach (var contact in await db.Contacts.Where(c => record.MovedContactIds.Contains(c.Id) && c.AccountId == wa.Id).ToListAsync(ct)) contact.AccountId = la.Id;
            foreach (var deal in await db.Deals.Where(d => record.MovedDealIds.Contains(d.Id) && d.AccountId == wa.Id).ToListAsync(ct)) deal.AccountId = la.Id;
            foreach (var activity in await db.Activities.Where(a => record.MovedActivityIds.Contains(a.Id) && a.AccountId == wa.Id).ToListAsync(ct)) activity.AccountId = la.Id;
            la.MergedIntoId = null;
            la.DeletedAt = null;
        }
        foreach (var link in await db.SyncRecords.Where(x => record.MovedExternalLinkIds.Contains(x.Id) && x.RecordType == type && x.RecordId == winner.Id).ToListAsync(ct))
        {
            link.RecordId = loser.Id;
            link.MergedFromRecordId = null;
        }
        record.UndoneAt = now;
        record.UndoneByUserId = db.Actor.UserId;
        db.FieldChanges.Add(Audit(type, winner.Id, "MergeUndone", $"#{loser.Id}", null, now, db.Actor));
        foreach (var candidate in await db.DuplicateCandidates.Where(d => d.RecordType == type && d.Status == DuplicateStatus.Merged
                     && (d.RecordAId == Math.Min(winner.Id, loser.Id) && d.RecordBId == Math.Max(winner.Id, loser.Id))).ToListAsync(ct))
        {
            candidate.Status = DuplicateStatus.Open;
            candidate.ResolvedAt = null;
        }
        await db.SaveChangesAsync(ct);
    }

    private const string Deleted = "SoftDelete";

    private static async Task CloseCandidatesAsync(ICrmDb db, RecordType type, long winnerId, long loserId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var candidate in await db.DuplicateCandidates.Where(d => d.RecordType == type && d.Status == DuplicateStatus.Open
                     && (d.RecordAId == loserId || d.RecordBId == loserId)).ToListAsync(ct))
        {
            var isThisPair = candidate.RecordAId == Math.Min(winnerId, loserId) && candidate.RecordBId == Math.Max(winnerId, loserId);
            if (isThisPair)
            {
                candidate.Status = DuplicateStatus.Merged;
                candidate.ResolvedAt = now;
                candidate.ResolvedByUserId = db.Actor.UserId;
            }
            else
            {
                // The loser's other pairs now concern the winner: the next scan finds them again if they still hold.
                db.DuplicateCandidates.Remove(candidate);
            }
        }
        var pair = (Math.Min(winnerId, loserId), Math.Max(winnerId, loserId));
        if (!await db.DuplicateCandidates.AnyAsync(d => d.RecordType == type && d.RecordAId == pair.Item1 && d.RecordBId == pair.Item2, ct))
            db.DuplicateCandidates.Add(new DuplicateCandidate
            {
                RecordType = type, RecordAId = pair.Item1, RecordBId = pair.Item2, Confidence = 100, Reasons = ["Merged by hand"],
                Status = DuplicateStatus.Merged, ResolvedAt = now, ResolvedByUserId = db.Actor.UserId,
            });
    }

    private static FieldChange Audit(RecordType type, long recordId, string field, string? before, string? after, DateTimeOffset now, Actor actor) => new()
    {
        RecordType = type, RecordId = recordId, Kind = ChangeKind.Updated, Field = field, OldValue = before, NewValue = after,
        ChangedAt = now, Source = actor.Source, ActorUserId = actor.UserId, SourceRef = actor.SourceRef,
    };

    public static string Describe(ITrackedRecord record) => record switch
    {
        Contact c => c.DisplayName,
        Account a => a.Name,
        _ => "",
    };
}
