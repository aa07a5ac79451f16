using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Duplicates;

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
