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

    /// <summary>
    /// True when the email is someone's already: a member (who accepted) of another workspace, or a password sign-in.
    /// </summary>
    Task<bool> BelongsToAnotherWorkspaceAsync(string email, long workspaceId, CancellationToken ct = default);

    /// <summary>
    /// Creates the user's password sign-in, or replaces its password: the person's other sessions end. When they
    /// change their own password, the session they do it from (<paramref name="keepSessionId"/>) stays.
    /// </summary>
    Task SetPasswordAsync(User user, string password, string? keepSessionId = null, CancellationToken ct = default);

    Task<bool> HasPasswordAsync(long userId, CancellationToken ct = default);

    /// <summary>Ends the user's sessions and sign-ins at once (deactivation, role change).</summary>
    Task InvalidateSessionsAsync(long userId, CancellationToken ct = default);
}
