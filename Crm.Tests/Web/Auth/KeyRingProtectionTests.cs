using System.Net;
using System.Security.Cryptography;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Auth;

/// <summary>The key ring that signs sessions (kept in the database) is encrypted at rest when a key encryption key is configured.</summary>
public sealed class KeyRingProtectionTests
{
    [Fact]
    public async Task WithAKeyEncryptionKey_TheKeyRingOnDiskHoldsNoKeyInPlainText_AndSessionsWork()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var factory = new CrmWebFactory(new Dictionary<string, string> { ["DataProtection:KeyEncryptionKey"] = secret });

        var session = await BrowserSession.SignInAsync(factory, CrmWebFactory.AdminEmail, CrmWebFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/contacts")).StatusCode);

        // The ring is in the database, where every instance finds it.
        await using var db = factory.Services.GetRequiredService<Crm.Infrastructure.Persistence.CrmDatabase>().Create(Crm.Core.Common.Actor.Anonymous);
        var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(keys);
        foreach (var xml in keys)
        {
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
