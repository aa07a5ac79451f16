using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Identity;

/// <summary>A user of a workspace as sign-in sees it, before any workspace is chosen.</summary>
public sealed record Membership(long UserId, long WorkspaceId, string WorkspaceName, string Name, string Email, UserRole Role, bool IsActive,
    bool InvitationPending = false, DateTimeOffset? LastSignInAt = null, DateTimeOffset CreatedAt = default)
{
    /// <summary>A membership that can be signed into: active, and accepted (not an invitation still waiting).</summary>
    public bool CanSignIn => IsActive && !InvitationPending;
}

/// <summary>A membership as a session is checked against it: the member, and the person's security stamp and kept session.</summary>
public sealed record SessionCheck(Membership Member, string SecurityStamp, string? KeptSessionId);

/// <summary>
/// The only reads that cross workspaces, and only to answer "who is this?": by email at sign-in, by id when a
/// session is revalidated, and a person's own invitations. Everything after sign-in runs inside one workspace.
/// </summary>
public sealed class Memberships(CrmDatabase database, TimeProvider time)
{
    public async Task<IReadOnlyList<Membership>> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        var normalized = Text.CleanEmail(email);
        if (normalized is null) return [];
        await using var db = database.Create(Actor.Anonymous);
        return await Query(db, u => u.Email == normalized).ToListAsync(ct);
    }

    /// <summary>
    /// Where a person who proved this email lands: the workspace they used last (then the one they joined first),
    /// never a workspace whose invitation they have not accepted. Null when none can be signed into.
    /// </summary>
    public async Task<Membership?> LandingAsync(string email, CancellationToken ct = default) =>
        (await FindByEmailAsync(email, ct)).Where(m => m.CanSignIn)
        .OrderByDescending(m => m.LastSignInAt ?? DateTimeOffset.MinValue).ThenBy(m => m.CreatedAt).ThenBy(m => m.WorkspaceId)
        .FirstOrDefault();

    public async Task<Membership?> FindAsync(long workspaceId, long userId, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        return await Query(db, u => u.Id == userId && u.WorkspaceId == workspaceId).SingleOrDefaultAsync(ct);
    }

    /// <summary>The member a session names, with the security stamp of the person's password sign-in ("" without one).</summary>
    public async Task<SessionCheck?> CheckAsync(long workspaceId, long userId, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        var member = await Query(db, u => u.Id == userId && u.WorkspaceId == workspaceId).SingleOrDefaultAsync(ct);
        if (member is null) return null;
        var (stamp, kept) = await StampAsync(db, member.Email, ct);
        return new SessionCheck(member, stamp, kept);
    }

    /// <summary>The security stamp of the person's password sign-in ("" when they have none), which every session carries.</summary>
    public async Task<string> SecurityStampAsync(string email, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        return (await StampAsync(db, email, ct)).Stamp;
    }

    private static async Task<(string Stamp, string? Kept)> StampAsync(CrmDbContext db, string email, CancellationToken ct)
    {
        var normalized = email.ToUpperInvariant();
        var account = await db.Users.AsNoTracking().Where(a => a.NormalizedEmail == normalized)
            .Select(a => new { a.SecurityStamp, a.KeptSessionId }).FirstOrDefaultAsync(ct);
        return (account?.SecurityStamp ?? "", account?.KeptSessionId);
    }

    public async Task RecordSignInAsync(Membership membership, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(membership.WorkspaceId));
        await db.CrmUsers.Where(u => u.Id == membership.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, time.GetUtcNow()), ct);
    }

    /// <summary>The person (by their signed-in email) accepts or declines an invitation to a workspace; false when there is none.</summary>
    public async Task<bool> AnswerInvitationAsync(string email, long workspaceId, bool accept, CancellationToken ct = default)
    {
        var normalized = Text.CleanEmail(email);
        if (normalized is null) return false;
        await using var db = database.Create(Actor.System(workspaceId));
        var invited = db.CrmUsers.Where(u => u.Email == normalized && u.InvitationPending && u.IsActive);
        return accept
            ? await invited.ExecuteUpdateAsync(s => s.SetProperty(u => u.InvitationPending, false).SetProperty(u => u.UpdatedAt, time.GetUtcNow()), ct) > 0
            // Declined: the row stays (records may name it) but can never be signed into; an admin may invite again.
            : await invited.ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false).SetProperty(u => u.UpdatedAt, time.GetUtcNow()), ct) > 0;
    }

    private static IQueryable<Membership> Query(CrmDbContext db, System.Linq.Expressions.Expression<Func<User, bool>> which) =>
        from u in db.CrmUsers.IgnoreQueryFilters([CrmDbContext.WorkspaceFilter]).Where(which)
        join w in db.Workspaces.IgnoreQueryFilters([CrmDbContext.WorkspaceFilter]) on u.WorkspaceId equals w.Id
        select new Membership(u.Id, u.WorkspaceId, w.Name, u.Name, u.Email, u.Role, u.IsActive, u.InvitationPending, u.LastSignInAt, u.CreatedAt);
}
