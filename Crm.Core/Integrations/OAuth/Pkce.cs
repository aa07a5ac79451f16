using System.Security.Cryptography;
using System.Text;

namespace Crm.Core.Integrations.OAuth;

/// <summary>Proof Key for Code Exchange (RFC 7636), method S256: the verifier stays with us, the provider sees its hash.</summary>
public static class Pkce
{
    public const string Method = "S256";

    /// <summary>A new verifier: 32 random bytes, base64url (43 characters, within RFC 7636's 43–128).</summary>
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>BASE64URL(SHA256(ASCII(verifier))).</summary>
    public static string ChallengeOf(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
