using Crm.Core.Common;
using Crm.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Identity;

/// <summary>Password sign-ins kept by ASP.NET Core Identity in the CRM's own database.</summary>
public sealed class LocalAccounts(UserManager<CrmIdentityUser> users, Memberships memberships) : ILocalAccounts
{
    public async Task<IReadOnlyList<string>> CheckPasswordAsync(string password, CancellationToken ct = default)
    {
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, new CrmIdentityUser(), password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }
        return problems;
    }

    public async Task<bool> EmailInUseAsync(string email, CancellationToken ct = default) =>
        await users.FindByEmailAsync(email) is not null;

    public async Task<bool> BelongsToAnotherWorkspaceAsync(string email, long workspaceId, CancellationToken ct = default) =>
        await EmailInUseAsync(email, ct)
        || (await memberships.FindByEmailAsync(email, ct)).Any(m => m.WorkspaceId != workspaceId && !m.InvitationPending);

    public async Task SetPasswordAsync(User user, string password, string? keepSessionId = null, CancellationToken ct = default)
    {
        var problems = await CheckPasswordAsync(password, ct);
        if (problems.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["Password"] = [.. problems] });

        var account = await users.Users.SingleOrDefaultAsync(a => a.CrmUserId == user.Id, ct);
        IdentityResult result;
        if (account is null)
        {
            account = new CrmIdentityUser { UserName = user.Email, Email = user.Email, EmailConfirmed = true, CrmUserId = user.Id, LockoutEnabled = true };
            result = await users.CreateAsync(account, password);
        }
        else
        {
            account.PasswordHash = users.PasswordHasher.HashPassword(account, password);
            // A new stamp ends every session signed in with the old one, except the one the person changed it from.
            account.KeptSessionId = keepSessionId;
            await users.SetLockoutEndDateAsync(account, null);
            await users.ResetAccessFailedCountAsync(account);
            await users.UpdateSecurityStampAsync(account);
            result = await users.UpdateAsync(account);
        }
        if (!result.Succeeded)
        {
            var field = result.Errors.Any(e => e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal)) ? "Email" : "Password";
            throw new ValidationFailedException(new Dictionary<string, string[]> { [field] = result.Errors.Select(e => e.Description).ToArray() });
        }
    }

    public Task<bool> HasPasswordAsync(long userId, CancellationToken ct = default) =>
        users.Users.AnyAsync(a => a.CrmUserId == userId && a.PasswordHash != null, ct);

    public async Task InvalidateSessionsAsync(long userId, CancellationToken ct = default)
    {
        var account = await users.Users.SingleOrDefaultAsync(a => a.CrmUserId == userId, ct);
        if (account is null) return;
        account.KeptSessionId = null;
        await users.UpdateSecurityStampAsync(account);
    }
}
