using System.Net;
using System.Security.Cryptography;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Web.Auth;

/// <summary>The key ring that signs sessions is encrypted at rest when a key encryption key is configured.</summary>
public sealed class KeyRingProtectionTests
{
    [Fact]
    public async Task WithAKeyEncryptionKey_TheKeyRingOnDiskHoldsNoKeyInPlainText_AndSessionsWork()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var factory = new CrmWebFactory(new Dictionary<string, string> { ["DataProtection:KeyEncryptionKey"] = secret });

        var session = await BrowserSession.SignInAsync(factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/contacts")).StatusCode);

        var files = Directory.GetFiles(Path.Combine(factory.DataDirectory, "keys"), "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("<encryptedKey", xml);
            Assert.DoesNotContain("<masterKey", xml);
        }
    }

    [Fact]
    public async Task AKeyEncryptionKeyThatIsNotOne_StopsTheAppAtStart_WithTheFix()
    {
        await using var factory = new CrmWebFactory(new Dictionary<string, string> { ["DataProtection:KeyEncryptionKey"] = "too-short" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("openssl rand -base64 32", error.ToString());
    }
}
