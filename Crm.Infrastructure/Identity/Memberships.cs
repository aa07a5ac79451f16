using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Identity;

/// <summary>A user of a workspace as sign-in sees it, before any workspace is chosen.</summary>
public sealed record Membership(long UserId, long WorkspaceId, string WorkspaceName, string Name, string Email, UserRole Role, bool IsActive);

/// <summary>
/// The only reads that cross workspaces, and only to answer "who is this?": by email at sign-in, by id when a
/// session is revalidated. Everything after sign-in runs inside one workspace.
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

    public async Task<Membership?> FindAsync(long workspaceId, long userId, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.Anonymous);
        return await Query(db, u => u.Id == userId && u.WorkspaceId == workspaceId).SingleOrDefaultAsync(ct);
    }

    public async Task RecordSignInAsync(Membership membership, CancellationToken ct = default)
    {
        await using var db = database.Create(Actor.System(membership.WorkspaceId));
        await db.CrmUsers.Where(u => u.Id == membership.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, time.GetUtcNow()), ct);
    }

    private static IQueryable<Membership> Query(CrmDbContext db, System.Linq.Expressions.Expression<Func<User, bool>> which) =>
        from u in db.CrmUsers.IgnoreQueryFilters([CrmDbContext.WorkspaceFilter]).Where(which)
        join w in db.Workspaces.IgnoreQueryFilters([CrmDbContext.WorkspaceFilter]) on u.WorkspaceId equals w.Id
        select new Membership(u.Id, u.WorkspaceId, w.Name, u.Name, u.Email, u.Role, u.IsActive);
}
