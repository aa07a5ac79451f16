using System.Security.Cryptography;
using System.Text;

namespace Crm.Core.Webhooks;

/// <summary>
/// Signing as the Standard Webhooks specification defines it, so receivers verify with its published libraries: the
/// secret is <c>whsec_</c> + base64 of its key bytes; the signature is HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, base64, prefixed <c>v1,</c>; several (during a secret rotation)
/// are separated by spaces.
/// </summary>
public static class StandardWebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new secret: 32 random bytes.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string messageId, DateTimeOffset timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToUnixTimeSeconds()}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The header value for every secret in force (the current one first).</summary>
    public static string SignAll(IEnumerable<string> secrets, string messageId, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, messageId, timestamp, body)));
}
