using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Users;

public sealed class ListUsersHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<UserView>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        return await db.Users.AsNoTracking()
            .OrderByDescending(u => u.IsActive).ThenBy(u => u.Name)
            .Select(u => new UserView(u.Id, u.Name, u.Email, u.Role, u.IsActive, u.LastSignInAt, u.CreatedAt, u.InvitationPending))
            .ToListAsync(ct);
    }
}

public sealed class ListUserOptionsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<UserOption>> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.Name)
            .Select(u => new UserOption(u.Id, u.Name, u.Email))
            .ToListAsync(ct);
    }
}

public sealed class CreateUserHandler(ICrmDbFactory dbFactory, ILocalAccounts accounts)
{
    public async Task<UserView> HandleAsync(NewUserInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        InputValidation.ThrowIfInvalid(input);
        var email = Text.CleanEmail(input.Email)!;
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
            throw new ValidationFailedException(nameof(NewUserInput.Email), "A user with this email already exists in this workspace.");
        // An address someone already signs in with elsewhere is theirs: adding it is an invitation they accept.
        var invitation = await accounts.BelongsToAnotherWorkspaceAsync(email, db.Actor.WorkspaceId, ct);
        if (!string.IsNullOrEmpty(input.Password))
        {
            var problems = await accounts.CheckPasswordAsync(input.Password, ct);
            if (problems.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { [nameof(NewUserInput.Password)] = [.. problems] });
            if (invitation || await accounts.EmailInUseAsync(email, ct))
                throw new ValidationFailedException(nameof(NewUserInput.Password),
                    "This person already signs in to another workspace; they keep their own password. Add them without one: they are invited, and join once they accept.");
        }

        var user = new User { Name = input.Name!.Trim(), Email = email, Role = input.Role, IsActive = true, InvitationPending = invitation, InvitedByUserId = invitation ? db.Actor.UserId : null };
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        if (!string.IsNullOrEmpty(input.Password))
        {
            try
            {
                await accounts.SetPasswordAsync(user, input.Password, ct: ct);
            }
            catch
            {
                // Keep the two stores consistent: no user without the sign-in that was asked for.
                db.Users.Remove(user);
                await db.SaveChangesAsync(CancellationToken.None);
                throw;
            }
        }
        return new UserView(user.Id, user.Name, user.Email, user.Role, user.IsActive, user.LastSignInAt, user.CreatedAt, user.InvitationPending);
    }
}

/// <summary>Changes a user's role or active flag. The workspace always keeps one active admin, and admins cannot lock themselves out.</summary>
public sealed class UpdateUserHandler(ICrmDbFactory dbFactory, ILocalAccounts accounts)
{
    public async Task<UserView> HandleAsync(long id, UserRole role, bool isActive, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var user = await db.Users.GetAsync(id, "User", ct);
        if (user.Id == db.Actor.UserId && (!isActive || role != UserRole.Admin))
            throw new ValidationFailedException("Role", "You cannot demote or deactivate yourself; ask another admin.");
        var losesAdmin = user.Role == UserRole.Admin && user.IsActive && (role != UserRole.Admin || !isActive);
        if (losesAdmin && !await db.Users.AnyAsync(u => u.Id != id && u.Role == UserRole.Admin && u.IsActive, ct))
            throw new ValidationFailedException("Role", "The workspace needs at least one active admin.");

        var changed = user.Role != role || user.IsActive != isActive;
        user.Role = role;
        user.IsActive = isActive;
        await db.SaveChangesAsync(ct);
        if (changed) await accounts.InvalidateSessionsAsync(user.Id, ct);
        return new UserView(user.Id, user.Name, user.Email, user.Role, user.IsActive, user.LastSignInAt, user.CreatedAt, user.InvitationPending);
    }
}

/// <summary>
/// An admin sets a user's password (a reset): every session of that person ends. An admin setting their own keeps
/// the session they do it from (<paramref name="currentSessionId"/>), and only that one.
/// </summary>
public sealed class SetUserPasswordHandler(ICrmDbFactory dbFactory, ILocalAccounts accounts)
{
    public async Task HandleAsync(long id, string password, string? currentSessionId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        var user = await db.Users.AsNoTracking().GetAsync(id, "User", ct);
        var problems = await accounts.CheckPasswordAsync(password, ct);
        if (problems.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["Password"] = [.. problems] });
        if (!await accounts.HasPasswordAsync(user.Id, ct) && await accounts.EmailInUseAsync(user.Email, ct))
            throw new ValidationFailedException("Password", "This email already signs in with a password to another workspace.");
        await accounts.SetPasswordAsync(user, password, user.Id == db.Actor.UserId ? currentSessionId : null, ct);
    }
}
