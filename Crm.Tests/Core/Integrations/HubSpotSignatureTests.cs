using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crm.Core.Integrations.Webhooks;

namespace Crm.Tests.Core.Integrations;

public class HubSpotSignatureTests
{
    private static readonly JsonElement Vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(Crm.Tests.TestSupport.TestPaths.TestData, "security", "hubspot-signature-vectors.json"))).RootElement;
    private static string Secret => Vectors.GetProperty("secret").GetString()!;
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static string Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void V1_MatchesHubSpotsPublishedVector()
    {
        var v1 = Vectors.GetProperty("v1");
        Assert.Equal(v1.GetProperty("expected").GetString(), HubSpotSignature.V1(Secret, v1.GetProperty("body").GetString()!));
    }

    [Theory]
    [InlineData("v2_get")]
    [InlineData("v2_post")]
    public void V2_MatchesHubSpotsPublishedVectors(string name)
    {
        var v = Vectors.GetProperty(name);
        Assert.Equal(v.GetProperty("expected").GetString(),
            HubSpotSignature.V2(Secret, v.GetProperty("method").GetString()!, v.GetProperty("uri").GetString()!, v.GetProperty("body").GetString()!));
    }

    /// <summary>v3 as the official PHP client computes it: base64(HMAC-SHA256(secret, method + uri + body + timestamp)).</summary>
    private static string Reference(string method, string uri, string body, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(method + uri + body + timestamp)));

    [Fact]
    public void V3_Fresh_IsAccepted_AndEveryAlteredPartIsRefused()
    {
        const string uri = "https://crm.example.com/webhooks/hubspot";
        const string body = """[{"eventId":1,"portalId":62515,"subscriptionType":"contact.creation"}]""";
        var timestamp = Ms(Now.AddSeconds(-30));
        var signature = Reference("POST", uri, body, timestamp);

        Assert.Null(HubSpotSignature.CheckV3(Secret, "POST", uri, body, timestamp, signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "POST", uri, body.Replace("62515", "62516"), timestamp, signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "POST", uri + "?x=1", body, timestamp, signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "PUT", uri, body, timestamp, signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "POST", uri, body, Ms(Now.AddSeconds(-29)), signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3("another-secret", "POST", uri, body, timestamp, signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "POST", uri, body, null, signature, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "POST", uri, body, timestamp, null, Now));
        Assert.NotNull(HubSpotSignature.CheckV3(Secret, "POST", uri, body, "yesterday", signature, Now));
    }

    [Fact]
    public void V3_OlderThanFiveMinutes_OrFromTheFuture_IsRefusedEvenWhenSigned()
    {
        const string uri = "https://crm.example.com/webhooks/hubspot";
        foreach (var (at, accepted) in new[] { (Now.AddMinutes(-4.9), true), (Now.AddMinutes(-5.1), false), (Now.AddMinutes(4.9), true), (Now.AddMinutes(5.1), false) })
        {
            var timestamp = Ms(at);
            var problem = HubSpotSignature.CheckV3(Secret, "POST", uri, "[]", timestamp, Reference("POST", uri, "[]", timestamp), Now);
            Assert.Equal(accepted, problem is null);
        }
    }

    [Fact]
    public void V3_SignsTheUriWithTheCharactersHubSpotListsDecoded()
    {
        const string sent = "https://crm.example.com/webhooks/hubspot?portal=62515%3Aeu%2Cx&q=%20a%26b";
        const string signed = "https://crm.example.com/webhooks/hubspot?portal=62515:eu,x&q=%20a%26b";
        var timestamp = Ms(Now);

        Assert.Equal(signed, HubSpotSignature.DecodeUri(sent));
        Assert.Null(HubSpotSignature.CheckV3(Secret, "POST", sent, "[]", timestamp, Reference("POST", signed, "[]", timestamp), Now));
    }
}
