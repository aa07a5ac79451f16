using System.Net;
using System.Security.Cryptography;
using System.Text;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Tests.Web.Api;

/// <summary>Secrets stay out of the log, at every level, through success and failure.</summary>
public class SecretsNotLoggedTests
{
    private const string ClientSecret = "hs-app-secret-4b7d9f1e-2a6c-4e8b-9d3f-7a1c5e9b2d4f";
    private const string AccessToken = "pat-na1-logged-never-8e2f4a6c-1b3d-4f5a-9c7e-2d4f6a8b0c1e";
    private const string RefreshToken = "refresh-logged-never-3c5e7a9b-1d2f-4a6c-8e0b-5d7f9a1c3e5b";

    [Fact]
    public async Task StoringAndReadingConnectionSecrets_AndRefusedOrFailingWork_LogNoSecret()
    {
        var capture = new LogCapture();
        await using var factory = new CrmWebFactory(new Dictionary<string, string> { ["Integrations:HubSpot:ClientSecret"] = ClientSecret });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(capture).SetMinimumLevel(LogLevel.Trace))));
        var client = app.CreateClient();

        // Secrets stored, read back and deleted.
        long id;
        await using (var db = app.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(factory.FirstWorkspaceId)))
        {
            var integration = new Integration { Provider = IntegrationProviders.HubSpot, Type = IntegrationType.CrmSync, Name = "HubSpot" };
            db.Integrations.Add(integration);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            id = integration.Id;
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(factory.FirstWorkspaceId);
            var secrets = scope.ServiceProvider.GetRequiredService<IConnectionSecrets>();
            await secrets.SaveAsync(id, new ConnectionSecrets(AccessToken, RefreshToken), null, TestContext.Current.CancellationToken);
            Assert.Equal(AccessToken, (await secrets.ReadAsync(id, TestContext.Current.CancellationToken))!.AccessToken);
        }

        // A failure: the stored ciphertext is damaged, reading it throws — the message must not carry the token.
        await using (var db = app.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(factory.FirstWorkspaceId)))
            await db.IntegrationCredentials.ExecuteUpdateAsync(s => s.SetProperty(c => c.Protected, c => c.Protected + "x"), TestContext.Current.CancellationToken);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(factory.FirstWorkspaceId);
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => scope.ServiceProvider.GetRequiredService<IConnectionSecrets>().ReadAsync(id, TestContext.Current.CancellationToken));
            Assert.DoesNotContain(AccessToken, failure.ToString(), StringComparison.Ordinal);
        }

        // Webhook deliveries, good and forged, signed with the app's secret.
        var uri = new Uri(client.BaseAddress!, "/webhooks/hubspot").ToString();
        foreach (var key in new[] { ClientSecret, "forged" })
        {
            const string body = """[{"eventId":7,"portalId":62515,"subscriptionType":"contact.creation"}]""";
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-HubSpot-Signature-v3", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes("POST" + uri + body + timestamp))));
            request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(key == ClientSecret ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var log = capture.Text;
        Assert.NotEmpty(log);
        foreach (var secret in new[] { ClientSecret, AccessToken, RefreshToken })
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
    }
}
