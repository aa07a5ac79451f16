using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Crm.Sandbox.OAuth;

/// <summary>Who granted what to which app.</summary>
public sealed record Grant(string ClientId, string Account, string[] Scopes, bool Offline = true);

/// <summary>
/// What one provider's stand-in has issued — codes, access tokens with their expiry, refresh tokens — and what tests
/// and benchmarks ask about it: how many refreshes it served, whether a rotated-out refresh token ever came back.
/// In memory: a restart signs every connection out, as a wiped tenant would.
/// </summary>
public sealed class IssuedTokens(string provider)
{
    private sealed record PendingCode(Grant Grant, string RedirectUri, string? Challenge, DateTimeOffset ExpiresAt);
    private sealed record AccessToken(Grant Grant, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private readonly ConcurrentDictionary<string, AccessToken> _access = new();
    private readonly ConcurrentDictionary<string, Grant> _refresh = new();
    /// <summary>Refresh tokens replaced by a rotation: presenting one again is a client bug the stats report.</summary>
    private readonly ConcurrentDictionary<string, byte> _retired = new();
    private int _refreshRequests, _codeExchanges, _reusedRefreshTokens, _revocations;

    public string Provider { get; } = provider;

    public static string NewToken(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string IssueCode(Grant grant, string redirectUri, string? challenge, DateTimeOffset expiresAt)
    {
        var code = NewToken("code-");
        _codes[code] = new PendingCode(grant, redirectUri, challenge, expiresAt);
        return code;
    }

    public enum CodeProblem { None, Unknown, RedirectMismatch, VerifierMismatch }

    /// <summary>Takes a code once: unknown, expired, used, or presented with another redirect URI or verifier, it is refused.</summary>
    public (Grant? Grant, CodeProblem Problem) RedeemCode(string code, string clientId, string redirectUri, string? verifier, DateTimeOffset now)
    {
        Interlocked.Increment(ref _codeExchanges);
        if (!_codes.TryRemove(code, out var pending) || pending.ExpiresAt < now || pending.Grant.ClientId != clientId) return (null, CodeProblem.Unknown);
        if (pending.RedirectUri != redirectUri) return (null, CodeProblem.RedirectMismatch);
        if (pending.Challenge is not null && !PkceMatches(pending.Challenge, verifier ?? "")) return (null, CodeProblem.VerifierMismatch);
        return (pending.Grant, CodeProblem.None);
    }

    public string IssueAccess(Grant grant, TimeSpan lifetime, DateTimeOffset now, string prefix)
    {
        var token = NewToken(prefix);
        _access[token] = new AccessToken(grant, now + lifetime);
        return token;
    }

    public string IssueRefresh(Grant grant, string prefix)
    {
        var token = NewToken(prefix);
        _refresh[token] = grant;
        return token;
    }

    /// <summary>A refresh request: the grant behind the token, or null. With <paramref name="rotate"/>, the token is retired.</summary>
    public Grant? UseRefresh(string refreshToken, bool rotate)
    {
        Interlocked.Increment(ref _refreshRequests);
        if (_retired.ContainsKey(refreshToken))
        {
            Interlocked.Increment(ref _reusedRefreshTokens);
            return null;
        }
        if (!_refresh.TryGetValue(refreshToken, out var grant)) return null;
        if (rotate && _refresh.TryRemove(refreshToken, out _)) _retired[refreshToken] = 0;
        return grant;
    }

    public Grant? Validate(string? accessToken, DateTimeOffset now) =>
        accessToken is not null && _access.TryGetValue(accessToken, out var token) && token.ExpiresAt > now ? token.Grant : null;

    public TimeSpan? LifetimeLeft(string accessToken, DateTimeOffset now) =>
        _access.TryGetValue(accessToken, out var token) ? token.ExpiresAt - now : null;

    /// <summary>Revokes a refresh token (and the grant's access tokens) or an access token; false when it was not known.</summary>
    public bool Revoke(string token)
    {
        Interlocked.Increment(ref _revocations);
        if (_refresh.TryRemove(token, out var grant))
        {
            foreach (var (key, access) in _access) if (access.Grant == grant) _access.TryRemove(key, out _);
            return true;
        }
        return _access.TryRemove(token, out _);
    }

    public bool KnowsRefreshToken(string token) => _refresh.ContainsKey(token);

    /// <summary>Fault injection: every access token expires now (the next call gets 401 and must refresh).</summary>
    public int ExpireAccessTokens()
    {
        var count = _access.Count;
        _access.Clear();
        return count;
    }

    /// <summary>Fault injection: every refresh token is revoked (consent withdrawn: the next refresh gets invalid_grant).</summary>
    public int RevokeRefreshTokens()
    {
        var count = _refresh.Count;
        _refresh.Clear();
        _access.Clear();
        return count;
    }

    public object Stats() => new
    {
        provider = Provider, refreshRequests = _refreshRequests, codeExchanges = _codeExchanges, reusedRefreshTokens = _reusedRefreshTokens,
        revocations = _revocations, liveRefreshTokens = _refresh.Count, liveAccessTokens = _access.Count,
    };

    public int RefreshRequests => Volatile.Read(ref _refreshRequests);

    public static bool PkceMatches(string challenge, string verifier) =>
        verifier.Length is >= 43 and <= 128
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(challenge),
            Encoding.ASCII.GetBytes(Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
}

/// <summary>The token stores of every provider the sandbox stands in for.</summary>
public sealed class SandboxTokens
{
    private readonly ConcurrentDictionary<string, IssuedTokens> _byProvider = new(StringComparer.OrdinalIgnoreCase);

    public IssuedTokens this[string provider] => _byProvider.GetOrAdd(provider, p => new IssuedTokens(p));

    public static readonly string[] Providers = ["hubspot", "google", "microsoft", "salesforce"];
}
