using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Crm.Sandbox.Oidc;

public sealed record AuthorizationCode(
    string ClientId, string RedirectUri, string? Nonce, string? CodeChallenge, string CodeChallengeMethod,
    OidcUser User, string Scope, DateTimeOffset ExpiresAt);

public sealed record AccessToken(OidcUser User, string ClientId, DateTimeOffset ExpiresAt);

/// <summary>The provider's memory: its signing key, codes not yet redeemed, access tokens for userinfo.</summary>
public sealed class OidcState : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public OidcState()
    {
        var parameters = _rsa.ExportParameters(false);
        KeyId = Base64UrlEncoder.Encode(SHA256.HashData(parameters.Modulus!))[..16];
        SigningKey = new RsaSecurityKey(_rsa) { KeyId = KeyId };
        PublicJwk = new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus!), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent!),
        };
    }

    public string KeyId { get; }
    public RsaSecurityKey SigningKey { get; }
    public IReadOnlyDictionary<string, string> PublicJwk { get; }
    public ConcurrentDictionary<string, AuthorizationCode> Codes { get; } = new();
    public ConcurrentDictionary<string, AccessToken> AccessTokens { get; } = new();

    public static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => _rsa.Dispose();
}
