using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.CustomFields;
using Crm.Core.Integrations.Sync;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// The mapping editor over the real API: HubSpot's properties (a custom one included) beside our fields (a custom one
/// included), a mapping checked before it is saved, and a custom property then synced both ways.
/// </summary>
public sealed class HubSpotMappingTests : HubSpotSyncTestBase
{
    private string MappingPath => $"/api/v1/integrations/{_connection.IntegrationId}/mappings/contacts";

    [Fact]
    public async Task ACustomPropertyMappedToACustomField_IsCheckedBeforeSaving_AndThenSyncsBothWays()
    {
        var property = await _hubspot.PostAsJsonAsync("/crm/v3/properties/contacts",
            new { name = "favourite_colour", label = "Favourite colour", type = "string", fieldType = "text", groupName = "contactinformation" }, Ct);
        Assert.Equal(HttpStatusCode.Created, property.StatusCode);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            db.CustomFieldDefinitions.Add(new CustomFieldDefinition { RecordType = RecordType.Contact, Key = "favourite_colour", Label = "Favourite colour", Type = CustomFieldType.Text });
            await db.SaveChangesAsync(Ct);
        }

        var view = JsonNode.Parse(await _admin.Client.GetStringAsync(MappingPath, Ct))!;
        Assert.False(view["customised"]!.GetValue<bool>());
        Assert.Empty(view["problems"]!.AsArray());
        var custom = view["theirProperties"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "favourite_colour")!;
        Assert.True(custom["custom"]!.GetValue<bool>());
        Assert.Contains(view["ourFields"]!.AsArray(), f => f!["key"]!.GetValue<string>() == "custom.favourite_colour");

        // Checked first: a read-only property cannot go out, an unknown field is named; nothing is saved.
        var entries = view["entries"]!.AsArray().Select(e => e!.DeepClone()).ToList();
        var bad = entries.Select(e => e["theirs"]!.GetValue<string>() == "hs_analytics_source" ? Direction(e.DeepClone(), "both") : e.DeepClone())
            .Append(new JsonObject { ["theirs"] = "favourite_colour", ["ours"] = "custom.no_such_field", ["direction"] = "both" }).ToList();
        var refused = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, MappingPath, JsonContent.Create(new { entries = bad })), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problems = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("hs_analytics_source", problems, StringComparison.Ordinal);
        Assert.Contains("custom.no_such_field", problems, StringComparison.Ordinal);
        Assert.False(JsonNode.Parse(await _admin.Client.GetStringAsync(MappingPath, Ct))!["customised"]!.GetValue<bool>());

        // A rep cannot read or change it.
        await _factory.CreateUserAsync(_connection.WorkspaceId, "rep@first.example", "rep-password-123");
        var rep = await TestSupport.BrowserSession.SignInAsync(_factory, "rep@first.example", "rep-password-123");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.GetAsync(MappingPath, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.SendAsync(rep.SameOrigin(HttpMethod.Put, MappingPath, JsonContent.Create(new { reset = true })), Ct)).StatusCode);

        entries.Add(new JsonObject { ["theirs"] = "favourite_colour", ["ours"] = "custom.favourite_colour", ["direction"] = "both" });
        var saved = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, MappingPath, JsonContent.Create(new { entries })), Ct);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync(Ct));
        Assert.True(JsonNode.Parse(await saved.Content.ReadAsStringAsync(Ct))!["customised"]!.GetValue<bool>());

        var there = await _hubspot.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { email = "teal@example.com", firstname = "Teal", favourite_colour = "teal" } }, Ct);
        var thereId = JsonDocument.Parse(await there.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
        long oursId;
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId, ChangeSource.User)))
        {
            var contact = new Contact { Email = "red@example.com", FirstName = "Red", CustomFields = new() { ["favourite_colour"] = "red" } };
            db.Contacts.Add(contact);
            await db.SaveChangesAsync(Ct);
            oursId = contact.Id;
        }
        await ConfirmAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, (await SyncAsync()).Outcome);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            Assert.Equal("teal", (await db.Contacts.SingleAsync(c => c.Email == "teal@example.com", Ct)).CustomFields["favourite_colour"]);
            var redThere = await db.SyncRecords.Where(l => l.RecordId == oursId && l.RecordType == RecordType.Contact).Select(l => l.ExternalId).SingleAsync(Ct);
            var red = JsonDocument.Parse(await _hubspot.GetStringAsync($"/crm/v3/objects/contacts/{redThere}?properties=favourite_colour", Ct)).RootElement;
            Assert.Equal("red", red.GetProperty("properties").GetProperty("favourite_colour").GetString());
        }
        await _hubspot.PatchAsJsonAsync($"/crm/v3/objects/contacts/{thereId}", new { properties = new { favourite_colour = "navy" } }, Ct);
        Assert.Equal(1, (await SyncAsync()).WrittenIn);
        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
            Assert.Equal("navy", (await db.Contacts.SingleAsync(c => c.Email == "teal@example.com", Ct)).CustomFields["favourite_colour"]);

        // Reset: the defaults again.
        var reset = await _admin.Client.SendAsync(_admin.SameOrigin(HttpMethod.Put, MappingPath, JsonContent.Create(new { reset = true })), Ct);
        Assert.False(JsonNode.Parse(await reset.Content.ReadAsStringAsync(Ct))!["customised"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnotherWorkspacesAdmin_ReachesNoneOfThisConnectionsMappingOwnersStagesRulesOrHeldRuns()
    {
        var other = await _factory.CreateWorkspaceAsync("Other");
        await _factory.CreateUserAsync(other, "admin@other.example", "other-admin-password", Crm.Core.Users.UserRole.Admin);
        var stranger = await TestSupport.BrowserSession.SignInAsync(_factory, "admin@other.example", "other-admin-password");
        var id = _connection.IntegrationId;
        foreach (var path in new[] { $"/api/v1/integrations/{id}/mappings/contacts", $"/api/v1/integrations/{id}/owners", $"/api/v1/integrations/{id}/deal-stages",
                     $"/api/v1/integrations/{id}/conflicts", $"/api/v1/integrations/{id}/initial-sync" })
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await stranger.Client.GetAsync(path, Ct)).StatusCode);
        foreach (var (method, path, body) in new (HttpMethod, string, object)[]
                 {
                     (HttpMethod.Put, $"/api/v1/integrations/{id}/mappings/contacts", new { reset = true }),
                     (HttpMethod.Put, $"/api/v1/integrations/{id}/owners", new { }),
                     (HttpMethod.Put, $"/api/v1/integrations/{id}/deal-stages", new { stages = new Dictionary<string, long?>() }),
                     (HttpMethod.Post, $"/api/v1/integrations/{id}/deal-stages/create-missing", new { }),
                     (HttpMethod.Post, $"/api/v1/integrations/{id}/mass-change/approve", new { }),
                     (HttpMethod.Patch, $"/api/v1/integrations/{id}", new { massChangePercent = 50 }),
                 })
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await stranger.Client.SendAsync(stranger.SameOrigin(method, path, JsonContent.Create(body)), Ct)).StatusCode);
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal((10, null), await db.Integrations.Select(i => ValueTuple.Create(i.MassChangePercent, i.Mappings)).SingleAsync(Ct));
    }

    private static JsonNode Direction(JsonNode entry, string direction)
    {
        entry["direction"] = direction;
        return entry;
    }
}
