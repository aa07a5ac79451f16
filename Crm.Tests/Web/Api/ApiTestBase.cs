using System.Net.Http.Json;
using System.Text.Json;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Web.Api;

/// <summary>One app per test class (fresh SQLite file); clients authenticate with real API keys.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected CrmWebFactory Factory { get; } = new();
    protected HttpClient Admin { get; private set; } = default!;

    public virtual async ValueTask InitializeAsync() => Admin = await Factory.ClientWithKeyAsync(Factory.FirstWorkspaceId);

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement;
    }

    protected static async Task<long> CreateContactAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/contacts", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("id").GetInt64();
    }

    protected static StringContent Raw(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
