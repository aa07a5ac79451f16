using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Duplicates;
using Crm.Core.Exports;
using Crm.Core.Integrations.Connections;
using Crm.Core.Timeline;
using Crm.Core.Webhooks;
using Crm.Tests.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Webhooks;

/// <summary>Each kind of change leaves its event in the outbox, in the save that makes it: one per fact, about the right record.</summary>
public class OutboxEventsTests : WorkspaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<OutboxEvent>> EventsAsync(string? type = null)
    {
        await using var db = Host.Database.Create(Actor.System(Ws.Id));
        return await db.OutboxEvents.AsNoTracking().Where(e => type == null || e.Type == type).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    private Task<ContactDetails> ContactAsync(string first, string email) =>
        Host.RunAsync<CreateContactHandler, ContactDetails>(Ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = first, Email = email }));

    [Fact]
    public async Task ARecordCreatedDeletedAndRestored_AndANoteLogged_LeaveTheirEvents_AboutTheirRecords()
    {
        var ada = await ContactAsync("Ada", "ada@example.com");
        var note = await Host.RunAsync<CreateActivityHandler, ActivityDto>(Ws.Admin(), h => h.HandleAsync(new ActivityInput { Type = ActivityType.Note, ContactId = ada.Id, Body = "Met" }));
        await Host.RunAsync<DeleteContactHandler>(Ws.Admin(), h => h.HandleAsync(ada.Id, null));
        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            // Restored as a sync or an undone merge restores it.
            (await db.Contacts.IgnoreQueryFilters([Crm.Infrastructure.Persistence.CrmDbContext.SoftDeleteFilter]).SingleAsync(c => c.Id == ada.Id, Ct)).DeletedAt = null;
            await db.SaveChangesAsync(Ct);
        }

        var events = await EventsAsync();
        Assert.Equal(["contact.created", "activity.logged", "contact.deleted", "contact.restored"], events.Select(e => e.Type));
        Assert.All(events.Where(e => e.Type.StartsWith("contact.", StringComparison.Ordinal)), e => Assert.Equal(ada.Id, e.ContactId));
        Assert.Equal(note.Id, events[1].ActivityId);
        Assert.Equal("note", JsonDocument.Parse(events[1].Data).RootElement.GetProperty("object").GetProperty("type").GetString());
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task AMerge_AnnouncesWhereTheLoserWent()
    {
        var winner = await ContactAsync("Ada", "ada@example.com");
        var loser = await ContactAsync("Augusta", "augusta@example.com");
        await Host.RunAsync<MergeContactsHandler, MergeView>(Ws.Admin(), h => h.HandleAsync(new MergeRequest(winner.Id, loser.Id, new Dictionary<string, MergeSide>())));

        var merged = Assert.Single(await EventsAsync(WebhookEventTypes.ContactMerged));
        var data = JsonDocument.Parse(merged.Data).RootElement;
        Assert.Equal((winner.Id, loser.Id), (data.GetProperty("winnerId").GetInt64(), data.GetProperty("loserId").GetInt64()));
        Assert.Single(await EventsAsync(WebhookEventTypes.ContactDeleted));
    }

    [Fact]
    public async Task AnImport_AnnouncesItsOutcomeOnce_AndAnExportItsFile()
    {
        await Host.ImportAsync(Ws, "First Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n");
        var completed = Assert.Single(await EventsAsync(WebhookEventTypes.ImportCompleted));
        var import = JsonDocument.Parse(completed.Data).RootElement.GetProperty("import");
        Assert.Equal(2, import.GetProperty("rowsCreated").GetInt32());

        var started = await Host.RunAsync<StartExportHandler, ExportView>(Ws.Admin(), h => h.HandleAsync(new ExportRequest
        {
            Format = ExportFormat.Csv, Parts = [new ExportPart { Object = ExportObject.Contact, Filter = new ExportFilter() }],
        }));
        await Host.Exports.RunAllAsync(Ct);
        var ready = Assert.Single(await EventsAsync(WebhookEventTypes.ExportReady));
        Assert.Equal($"export:{started.Id}", ready.RecordKey);
        Assert.Contains($"/api/v1/exports/{started.Id}/file", ready.Data);
    }

    [Theory]
    [InlineData(typeof(Crm.Infrastructure.Imports.SqliteImportWriter))]
    [InlineData(typeof(Crm.Infrastructure.Imports.EfImportWriter))]
    public async Task AnImport_WritesPerRecordEvents_OnlyForTypesAnEndpointWants(Type writer)
    {
        await using var host = await CrmTestHost.StartAsync(writer: writer);
        var ws = await host.CreateWorkspaceAsync("Acme");
        async Task<List<OutboxEvent>> All()
        {
            await using var db = host.Database.Create(Actor.System(ws.Id));
            return await db.OutboxEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync(Ct);
        }

        // Nobody listens: a big import writes its outcome and nothing per record.
        await host.ImportAsync(ws, "First Name,Email\nAda,ada@example.com\nGrace,grace@example.com\n");
        Assert.Equal(["import.completed"], (await All()).Select(e => e.Type));

        await host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = "https://93.184.216.34/in", EventTypes = [WebhookEventTypes.ContactCreated, WebhookEventTypes.ContactUpdated] }));
        await host.ImportAsync(ws, "First Name,Email,Job Title\nAda,ada@example.com,Countess\nMary,mary@example.com,\n");

        var events = (await All()).Skip(1).ToList();
        var created = Assert.Single(events, e => e.Type == "contact.created");
        var updated = Assert.Single(events, e => e.Type == "contact.updated");
        Assert.Equal("import.completed", events[^1].Type);
        await using var check = host.Database.Create(Actor.System(ws.Id));
        Assert.Equal(await check.Contacts.Where(c => c.Email == "mary@example.com").Select(c => c.Id).SingleAsync(Ct), created.ContactId);
        Assert.Equal(await check.Contacts.Where(c => c.Email == "ada@example.com").Select(c => c.Id).SingleAsync(Ct), updated.ContactId);
        Assert.Equal("Countess", JsonDocument.Parse(updated.Data).RootElement.GetProperty("changes").GetProperty("jobTitle").GetProperty("after").GetString());
    }

    [Fact]
    public async Task AConnectionNeedingReconnect_IsAnnouncedOnce()
    {
        long integrationId;
        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            var row = new Integration { Provider = IntegrationProviders.HubSpot, Type = IntegrationType.CrmSync, Name = "HubSpot", Status = ConnectionStatus.Connected };
            db.Integrations.Add(row);
            await db.SaveChangesAsync(Ct);
            integrationId = row.Id;
        }
        var status = Host.Resolve<IConnectionStatus>();
        await status.NeedsReconnectAsync(new Crm.Core.Integrations.Tokens.ConnectionRef(Ws.Id, integrationId, IntegrationProviders.HubSpot), "The refresh token was revoked.", Ct);
        await status.NeedsReconnectAsync(new Crm.Core.Integrations.Tokens.ConnectionRef(Ws.Id, integrationId, IntegrationProviders.HubSpot), "Still revoked.", Ct);

        var announced = Assert.Single(await EventsAsync(WebhookEventTypes.ConnectionNeedsReconnect));
        Assert.Contains("refresh token was revoked", announced.Data);
    }

    [Fact]
    public async Task ManyMeetingsLoggedAtOnce_EachAnnounceTheirActivity_WhenAnEndpointWantsThem()
    {
        var ada = await ContactAsync("Ada", "ada@example.com");
        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            for (var i = 0; i < 70; i++)
                db.Activities.Add(new MeetingActivity { Title = $"Unheard {i}", MeetingKey = $"u{i}", ContactId = ada.Id, StartTime = DateTimeOffset.UnixEpoch, OccurredAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync(Ct);
        }
        // Nobody listened: a page of meetings wrote no events.
        Assert.Empty(await EventsAsync(WebhookEventTypes.ActivityLogged));
        await Host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(Ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = "https://93.184.216.34/in", EventTypes = [WebhookEventTypes.ActivityLogged] }));
        await using (var db = Host.Database.Create(Ws.Admin()))
        {
            for (var i = 0; i < 70; i++)
                db.Activities.Add(new MeetingActivity { Title = $"Meeting {i}", MeetingKey = $"k{i}", ContactId = ada.Id, StartTime = DateTimeOffset.UnixEpoch, OccurredAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync(Ct);
        }

        var logged = await EventsAsync(WebhookEventTypes.ActivityLogged);
        Assert.Equal(70, logged.Count);
        Assert.Equal(70, logged.Select(e => e.ActivityId).Distinct().Count());
        Assert.DoesNotContain(logged, e => e.ActivityId is null or <= 0);
    }
}
