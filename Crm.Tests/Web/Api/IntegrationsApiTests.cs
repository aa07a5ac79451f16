using System.Net;
using System.Net.Http.Json;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Api;

public class IntegrationsApiTests : ApiTestBase
{
    private const string Token = "pat-na1-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e";

    private async Task<long> ConnectAsync(long workspaceId)
    {
        await using var db = Factory.Services.GetRequiredService<CrmDatabase>().Create(Actor.System(workspaceId));
        var integration = new Integration { Provider = IntegrationProviders.HubSpot, Type = IntegrationType.CrmSync, Name = "HubSpot", AccountName = "portal 62515", Status = ConnectionStatus.Connected };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(workspaceId);
        await scope.ServiceProvider.GetRequiredService<IConnectionSecrets>().SaveAsync(integration.Id, new ConnectionSecrets(Token, "refresh-" + Token), null, TestContext.Current.CancellationToken);
        return integration.Id;
    }

    [Fact]
    public async Task ListIntegrations_ShowsHealth_NeverASecret_AndOnlyTheCallersWorkspace()
    {
        var mine = await ConnectAsync(Factory.FirstWorkspaceId);
        var other = await Factory.CreateWorkspaceAsync("Other");
        await ConnectAsync(other);

        var response = await Admin.GetAsync("/api/v1/integrations", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        var list = (await JsonAsync(response)).EnumerateArray().ToList();
        var only = Assert.Single(list);
        Assert.Equal(mine, only.GetProperty("id").GetInt64());
        Assert.Equal("hubspot", only.GetProperty("provider").GetString());
        Assert.Equal("connected", only.GetProperty("status").GetString());
        Assert.Equal("portal 62515", only.GetProperty("accountName").GetString());
        Assert.True(only.GetProperty("hasCredentials").GetBoolean());
    }

    [Fact]
    public async Task TheOpenApiDocument_ListsTheRoute_WithNoSecretInItsSchema()
    {
        var document = await Admin.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Contains("/api/v1/integrations", document, StringComparison.Ordinal);
        // The connection's schema has no property that could carry one (input schemas, like a new user's password, are not responses).
        using var openApi = System.Text.Json.JsonDocument.Parse(document);
        var schemas = openApi.RootElement.GetProperty("components").GetProperty("schemas");
        var properties = schemas.GetProperty("IntegrationView").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("accountName", properties);
        foreach (var secret in new[] { "accessToken", "refreshToken", "apiKey", "password", "protected", "secret", "clientSecret" })
            Assert.DoesNotContain(secret, properties);
    }
}
