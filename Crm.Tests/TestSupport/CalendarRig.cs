using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.TestSupport;

/// <summary>
/// Reps' calendars connected to the test app through the sandbox over HTTP: the sandbox, the app (reachable at a public
/// loopback address when push is tested), each rep's connection, Ada as the contact meetings are held with, and the
/// sandbox's control endpoints to put events in calendars as other clients would.
/// </summary>
public sealed class CalendarRig : IAsyncDisposable
{
    private CalendarRig(SandboxServer sandbox, PublicAddress? publicAddress, CrmWebFactory factory, string provider)
    {
        (Sandbox, Public, Factory, Provider) = (sandbox, publicAddress, factory, provider);
        Control = new HttpClient { BaseAddress = new Uri(sandbox.Url) };
    }

    public SandboxServer Sandbox { get; }
    public PublicAddress? Public { get; }
    public CrmWebFactory Factory { get; }
    public string Provider { get; }
    public HttpClient Control { get; }
    public long AdaId { get; private set; }
    public CrmDatabase Database => Factory.Services.GetRequiredService<CrmDatabase>();
    public Dictionary<string, (ConnectionRef Connection, long UserId, BrowserSession Session)> Reps { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="provider">"google" or "microsoft".</param>
    public static async Task<CalendarRig> StartAsync(string provider, bool reachable = false, Func<string?, IReadOnlyDictionary<string, string>>? settings = null,
        CancellationToken ct = default)
    {
        var sandbox = await SandboxServer.StartAsync();
        var publicAddress = reachable ? new PublicAddress() : null;
        var all = new Dictionary<string, string>(sandbox.CrmSettings()) { ["Jobs:Enabled"] = "false" };
        foreach (var (key, value) in settings?.Invoke(publicAddress?.Url) ?? new Dictionary<string, string>()) all[key] = value;
        var rig = new CalendarRig(sandbox, publicAddress, new CrmWebFactory(all), provider);
        publicAddress?.Start(rig.Factory.CreateClient());
        await using var db = rig.Database.Create(Actor.System(rig.Factory.FirstWorkspaceId));
        var ada = new Contact { FirstName = "Ada", LastName = "Lovelace", Email = "ada@engines.example" };
        db.Contacts.Add(ada);
        await db.SaveChangesAsync(ct);
        rig.AdaId = ada.Id;
        return rig;
    }

    /// <summary>A rep of <paramref name="workspaceId"/> (the first by default) who connects the calendar of <paramref name="account"/>.</summary>
    public async Task<ConnectionRef> ConnectAsync(string rep, string account, long? workspaceId = null, CancellationToken ct = default)
    {
        var workspace = workspaceId ?? Factory.FirstWorkspaceId;
        var (userId, session) = await AddRepAsync(rep, workspace);
        var connected = await Sandbox.ConnectAsync(session, Provider, "calendar", account: account, returnUrl: "/me/connections");
        if (connected.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Connecting {account} answered {connected.StatusCode}.");
        await using var db = Database.Create(Actor.System(workspace));
        var row = await db.Integrations.SingleAsync(i => i.Type == IntegrationType.Calendar && i.OwnerUserId == userId, ct);
        var connection = new ConnectionRef(workspace, row.Id, row.Provider);
        Reps[rep] = (connection, userId, session);
        return connection;
    }

    /// <summary>A rep of the workspace, signed in; no connection yet.</summary>
    public async Task<(long UserId, BrowserSession Session)> AddRepAsync(string rep, long? workspaceId = null)
    {
        var password = rep.Split('@')[0] + "-password-1";
        var userId = await Factory.CreateUserAsync(workspaceId ?? Factory.FirstWorkspaceId, rep, password);
        return (userId, await BrowserSession.SignInAsync(Factory, rep, password));
    }

    /// <summary>Records a rep's connection made another way (a CalDAV form) so the rig's helpers know it.</summary>
    public void Remember(string rep, ConnectionRef connection, long userId, BrowserSession session) => Reps[rep] = (connection, userId, session);

    /// <summary>The connection's sync as the scheduler runs it ("reconcile" for the nightly full run); the run it recorded.</summary>
    public async Task<SyncRun> SyncAsync(ConnectionRef connection, string trigger = "manual", CancellationToken ct = default)
    {
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(connection.WorkspaceId, ChangeSource.Sync, $"connection:{connection.IntegrationId}");
            await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>().HandleAsync(connection, IntegrationType.Calendar, null, trigger, ct);
        }
        await using var db = Database.Create(Actor.System(connection.WorkspaceId));
        return await db.SyncRuns.Where(r => r.IntegrationId == connection.IntegrationId).OrderByDescending(r => r.Id).FirstAsync(ct);
    }

    public async Task<List<MeetingActivity>> MeetingsAsync(long? workspaceId = null, CancellationToken ct = default)
    {
        await using var db = Database.Create(Actor.System(workspaceId ?? Factory.FirstWorkspaceId));
        return await db.Activities.OfType<MeetingActivity>().OrderBy(a => a.StartTime).ToListAsync(ct);
    }

    /// <summary>Puts an event (Google's resource) in a sandbox calendar as another client wrote it; returns its id.</summary>
    public async Task<string> ImportGoogleAsync(string account, JsonObject resource, string calendarId = "primary", CancellationToken ct = default)
    {
        var response = await Control.PostAsJsonAsync($"/_sandbox/google/calendar/{account}/calendars/{Uri.EscapeDataString(calendarId)}/events", resource, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
    }

    public async Task ChangeGoogleAsync(string account, string eventId, JsonObject patch, string calendarId = "primary", CancellationToken ct = default)
    {
        var response = await Control.PatchAsJsonAsync($"/_sandbox/google/calendar/{account}/calendars/{Uri.EscapeDataString(calendarId)}/events/{Uri.EscapeDataString(eventId)}", patch, ct);
        response.EnsureSuccessStatusCode();
    }

    public async Task DeleteGoogleAsync(string account, string eventId, string calendarId = "primary", CancellationToken ct = default)
    {
        var response = await Control.DeleteAsync($"/_sandbox/google/calendar/{account}/calendars/{Uri.EscapeDataString(calendarId)}/events/{Uri.EscapeDataString(eventId)}", ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Puts a Graph event in a sandbox Outlook calendar ("default" or an id) as another client wrote it; returns its id.</summary>
    public async Task<string> ImportGraphAsync(string account, JsonObject resource, string calendarId = "default", CancellationToken ct = default)
    {
        var response = await Control.PostAsJsonAsync($"/_sandbox/microsoft/calendar/{account}/calendars/{Uri.EscapeDataString(calendarId)}/events", resource, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
    }

    public async Task ChangeGraphAsync(string account, string eventId, JsonObject patch, CancellationToken ct = default) =>
        (await Control.PatchAsJsonAsync($"/_sandbox/microsoft/calendar/{account}/events/{Uri.EscapeDataString(eventId)}", patch, ct)).EnsureSuccessStatusCode();

    public async Task DeleteGraphAsync(string account, string eventId, CancellationToken ct = default) =>
        (await Control.DeleteAsync($"/_sandbox/microsoft/calendar/{account}/events/{Uri.EscapeDataString(eventId)}", ct)).EnsureSuccessStatusCode();

    /// <summary>A Graph event: wall-clock times in <paramref name="zone"/> (a Windows or IANA name), the organizer and attendees.</summary>
    public static JsonObject GraphEvent(string subject, DateTime wallStart, string zone, string organizer, IEnumerable<string> attendees, TimeSpan? length = null) => new()
    {
        ["subject"] = subject,
        ["start"] = new JsonObject { ["dateTime"] = wallStart.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff"), ["timeZone"] = zone },
        ["end"] = new JsonObject { ["dateTime"] = (wallStart + (length ?? TimeSpan.FromHours(1))).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff"), ["timeZone"] = zone },
        ["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = organizer } },
        ["attendees"] = new JsonArray(attendees.Select(a => (JsonNode)new JsonObject
        {
            ["type"] = "required", ["emailAddress"] = new JsonObject { ["address"] = a }, ["status"] = new JsonObject { ["response"] = "accepted" },
        }).ToArray()),
    };

    /// <summary>A timed Google event from <paramref name="start"/> for an hour (UTC unless a zone is named), with these attendees.</summary>
    public static JsonObject GoogleEvent(string title, DateTimeOffset start, string organizer, IEnumerable<string> attendees, string? zone = null, string? uid = null,
        TimeSpan? length = null)
    {
        var end = start + (length ?? TimeSpan.FromHours(1));
        var item = new JsonObject
        {
            ["summary"] = title,
            ["start"] = new JsonObject { ["dateTime"] = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), ["timeZone"] = zone ?? "UTC" },
            ["end"] = new JsonObject { ["dateTime"] = end.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), ["timeZone"] = zone ?? "UTC" },
            ["organizer"] = new JsonObject { ["email"] = organizer },
            ["attendees"] = new JsonArray(attendees.Prepend(organizer).Distinct().Select(a => (JsonNode)new JsonObject
            {
                ["email"] = a, ["responseStatus"] = a == organizer ? "accepted" : "needsAction", ["organizer"] = a == organizer ? true : null,
            }).ToArray()),
        };
        if (uid is not null) item["iCalUID"] = uid;
        return item;
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        if (Public is not null) await Public.DisposeAsync();
        await Factory.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
