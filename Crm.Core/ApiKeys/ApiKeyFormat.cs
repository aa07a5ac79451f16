using System.Security.Cryptography;
using System.Text;

namespace Crm.Core.ApiKeys;

/// <summary>
/// Keys look like <c>crm_&lt;prefix&gt;_&lt;secret&gt;</c>: the prefix (10 hex digits) finds the key, the secret
/// (256 random bits) proves it. Only a SHA-256 hash of the whole key is stored; a fast hash is right for
/// high-entropy secrets that are not passwords.
/// </summary>
public static class ApiKeyFormat
{
    private const string Scheme = "crm_";

    public static (string Key, string Prefix, string Hash) Generate()
    {
        var prefix = RandomNumberGenerator.GetHexString(10, lowercase: true);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = $"{Scheme}{prefix}_{secret}";
        return (key, prefix, Hash(key));
    }

    public static bool TryGetPrefix(string presented, out string prefix)
    {
        prefix = "";
        if (!presented.StartsWith(Scheme, StringComparison.Ordinal) || presented.Length < Scheme.Length + 12 || presented.Length > 128) return false;
        var end = presented.IndexOf('_', Scheme.Length);
        if (end != Scheme.Length + 10) return false;
        prefix = presented[Scheme.Length..end];
        return true;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool Matches(string presented, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}
