using Microsoft.AspNetCore.Identity;

namespace Crm.Infrastructure.Identity;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    Inactive,
}

public sealed record PasswordSignInResult(SignInOutcome Outcome, Membership? Membership = null, DateTimeOffset? LockedOutUntil = null, string SecurityStamp = "");

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

        // The person proved the email: they land in the workspace they used last, never in one they have not joined.
        var membership = await memberships.LandingAsync(account.Email ?? "", ct);
        if (membership is null) return new PasswordSignInResult(SignInOutcome.Inactive);
        await memberships.RecordSignInAsync(membership, ct);
        return new PasswordSignInResult(SignInOutcome.Succeeded, membership, SecurityStamp: account.SecurityStamp ?? "");
    }

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<CrmIdentityUser>().HashPassword(new CrmIdentityUser(), Guid.NewGuid().ToString()));
}
