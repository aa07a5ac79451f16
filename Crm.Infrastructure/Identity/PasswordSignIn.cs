using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Identity;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    Inactive,
}

public sealed record PasswordSignInResult(SignInOutcome Outcome, Membership? Membership = null, DateTimeOffset? LockedOutUntil = null);

/// <summary>Checks an email and password with Identity's hashing and lockout; says which user of which workspace it is.</summary>
public sealed class PasswordSignIn(UserManager<CrmIdentityUser> users, Memberships memberships)
{
    public async Task<PasswordSignInResult> CheckAsync(string email, string password, CancellationToken ct = default)
    {
        var account = await users.FindByEmailAsync(email.Trim());
        if (account is null)
        {
            // Spend the time a real check takes, so response times do not reveal which emails exist.
            users.PasswordHasher.VerifyHashedPassword(new CrmIdentityUser(), DummyHash.Value, password);
            return new PasswordSignInResult(SignInOutcome.Failed);
        }
        if (await users.IsLockedOutAsync(account))
            return new PasswordSignInResult(SignInOutcome.LockedOut, LockedOutUntil: account.LockoutEnd);
        if (!await users.CheckPasswordAsync(account, password))
        {
            await users.AccessFailedAsync(account);
            return await users.IsLockedOutAsync(account)
                ? new PasswordSignInResult(SignInOutcome.LockedOut, LockedOutUntil: account.LockoutEnd)
                : new PasswordSignInResult(SignInOutcome.Failed);
        }
        await users.ResetAccessFailedCountAsync(account);

        var membership = (await memberships.FindByEmailAsync(account.Email ?? "", ct)).SingleOrDefault(m => m.UserId == account.CrmUserId);
        if (membership is not { IsActive: true }) return new PasswordSignInResult(SignInOutcome.Inactive);
        await memberships.RecordSignInAsync(membership, ct);
        return new PasswordSignInResult(SignInOutcome.Succeeded, membership);
    }

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<CrmIdentityUser>().HashPassword(new CrmIdentityUser(), Guid.NewGuid().ToString()));

    /// <summary>The security stamp of a user's password sign-in, if any: it changes when sessions must end.</summary>
    public Task<string?> SecurityStampAsync(long userId, CancellationToken ct = default) =>
        users.Users.Where(a => a.CrmUserId == userId).Select(a => a.SecurityStamp).SingleOrDefaultAsync(ct);
}
