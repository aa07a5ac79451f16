using System.Security.Cryptography;
using System.Text;

namespace Crm.Core.Integrations.Webhooks;

/// <summary>
/// HubSpot's request signatures, as its documentation ("Validating requests") and its official clients define them:
/// v1 = hex(SHA-256(secret + body)), v2 = hex(SHA-256(secret + method + uri + body)), v3 =
/// base64(HMAC-SHA256(secret, method + uri + body + timestamp)) with the timestamp (ms) in X-HubSpot-Request-Timestamp.
/// Deliveries are accepted on v3 only: v1 and v2 sign no time, so a captured delivery could be replayed for ever.
/// </summary>
public static class HubSpotSignature
{
    /// <summary>A v3 signature older than this (or this far in the future) is refused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static string V1(string secret, string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret + body)));

    public static string V2(string secret, string method, string uri, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret + method + uri + body)));

    public static string V3(string secret, string method, string uri, string body, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(method + DecodeUri(uri) + body + timestamp)));

    /// <summary>Why a delivery is refused, or null when its v3 signature holds and is fresh.</summary>
    public static string? CheckV3(string secret, string method, string uri, string body, string? timestamp, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp)) return "The delivery is not signed (X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required).";
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            return "X-HubSpot-Request-Timestamp is not a time in milliseconds.";
        var age = now.ToUnixTimeMilliseconds() - ms;
        if (age > MaxAge.TotalMilliseconds || -age > MaxAge.TotalMilliseconds) return "The delivery's timestamp is more than 5 minutes away from now (replayed or delayed).";
        var expected = Encoding.ASCII.GetBytes(V3(secret, method, uri, body, timestamp));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? null : "The signature does not match.";
    }

    private static readonly (string Encoded, string Decoded)[] Decoded =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"), ("%27", "'"), ("%28", "("),
        ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    /// <summary>The URI as v3 signs it: the characters HubSpot's documentation lists decoded, everything else as sent.</summary>
    public static string DecodeUri(string uri)
    {
        if (!uri.Contains('%')) return uri;
        var text = new StringBuilder(uri);
        foreach (var (encoded, decoded) in Decoded)
        {
            text.Replace(encoded, decoded);
            text.Replace(encoded.ToLowerInvariant(), decoded);
        }
        return text.ToString();
    }
}
