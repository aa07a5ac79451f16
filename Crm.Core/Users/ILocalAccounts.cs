namespace Crm.Core.Users;

/// <summary>
/// Password sign-ins of users (hashing, lockout and policy live behind it). Users signing in only through SSO
/// have none.
/// </summary>
public interface ILocalAccounts
{
    /// <summary>Messages for a password that the policy refuses; empty when it is acceptable.</summary>
    Task<IReadOnlyList<string>> CheckPasswordAsync(string password, CancellationToken ct = default);

    /// <summary>True when a password sign-in with this email exists, in any workspace.</summary>
    Task<bool> EmailInUseAsync(string email, CancellationToken ct = default);

    /// <summary>Creates the user's password sign-in, or replaces its password.</summary>
    Task SetPasswordAsync(User user, string password, CancellationToken ct = default);

    Task<bool> HasPasswordAsync(long userId, CancellationToken ct = default);

    /// <summary>Ends the user's sessions and sign-ins at once (deactivation, role change).</summary>
    Task InvalidateSessionsAsync(long userId, CancellationToken ct = default);
}
