using System.Net;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Webhooks;
using Crm.Infrastructure.Webhooks;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Crm.Tests.Infrastructure.Webhooks;

/// <summary>
/// Outbound webhooks end to end on a real SQLite file and a real receiver on 127.0.0.1 (allowed by the operator's
/// setting, as a receiver on the same network would be): the outbox written with the change, dispatch, signed
/// delivery, retries, ordering, disabling, redelivery, rotation, isolation and the SSRF guard at connection time.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private CrmTestHost _host = default!;
    private WebhookReceiver _receiver = default!;
    private TestWorkspace _ws = default!;
    private readonly ReroutableDns _dns = new();

    public async ValueTask InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _host = await CrmTestHost.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowedHosts:0"] = "127.0.0.1" },
            configure: services => services.AddSingleton<IWebhookDns>(_dns));
        _ws = await _host.CreateWorkspaceAsync("Acme");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private WebhookSender Sender => _host.Resolve<WebhookSender>();

    private async Task<WebhookSubscriptionWithSecret> SubscribeAsync(TestWorkspace ws, params string[] types) =>
        await _host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = _receiver.Url + "/hooks", EventTypes = [.. types] }));

    private Task<ContactDetails> CreateContactAsync(TestWorkspace ws, string email) =>
        _host.RunAsync<CreateContactHandler, ContactDetails>(ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada", Email = email }));

    /// <summary>Dispatches and sends until nothing is due now.</summary>
    private async Task DeliverAsync()
    {
        await Sender.DispatchAsync(Ct);
        while (await Sender.SendDueAsync(Ct) > 0) { }
    }

    private async Task<List<WebhookDelivery>> DeliveriesAsync(TestWorkspace ws)
    {
        await using var db = _host.Database.Create(Actor.System(ws.Id));
        return await db.WebhookDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync(Ct);
    }

    /// <summary>Another receiver, subscribed to the same events in the same workspace.</summary>
    private async Task<WebhookReceiver> SecondEndpointAsync()
    {
        var other = await WebhookReceiver.StartAsync();
        await _host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(_ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = other.Url + "/other", EventTypes = [WebhookEventTypes.ContactCreated] }));
        return other;
    }

    /// <summary>Many contacts created in one save: a contact.created event each.</summary>
    private async Task AddContactsAsync(int count)
    {
        await using var db = _host.Database.Create(_ws.Admin());
        for (var i = 0; i < count; i++) db.Contacts.Add(new Contact { FirstName = $"C{i}", Email = $"c{i}@example.com" });
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task AContactCreated_IsDeliveredOnce_SignedAsStandardWebhooksLibrariesVerify_WithTheRecordAndItsId()
    {
        // The receiver's library checks the timestamp against the real clock.
        _host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var subscription = await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        var ada = await CreateContactAsync(_ws, "ada@example.com");

        await DeliverAsync();

        var request = Assert.Single(_receiver.Requests);
        new StandardWebhook(subscription.Secret).Verify(request.Body, request.Headers);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("contact.created", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(request.Headers["webhook-id"].ToString(), body.RootElement.GetProperty("id").GetString());
        Assert.Equal(_ws.Id, body.RootElement.GetProperty("workspaceId").GetInt64());
        var record = body.RootElement.GetProperty("data").GetProperty("object");
        Assert.Equal(ada.Id, record.GetProperty("id").GetInt64());
        Assert.Equal("ada@example.com", record.GetProperty("email").GetString());
        // A signature with another secret does not verify.
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(StandardWebhookSignature.NewSecret()).Verify(request.Body, request.Headers));
        Assert.Equal(WebhookDeliveryStatus.Delivered, Assert.Single(await DeliveriesAsync(_ws)).Status);
    }

    [Fact]
    public async Task AnUpdate_CarriesEachChangedFieldBeforeAndAfter_AndAStageMoveIsItsOwnEvent()
    {
        await SubscribeAsync(_ws, WebhookEventTypes.ContactUpdated);
        var ada = await CreateContactAsync(_ws, "ada@example.com");
        await using (var db = _host.Database.Create(_ws.Admin()))
        {
            var contact = await db.Contacts.SingleAsync(c => c.Id == ada.Id, Ct);
            contact.JobTitle = "Countess";
            await db.SaveChangesAsync(Ct);
        }

        await DeliverAsync();

        var request = Assert.Single(_receiver.Requests);
        using var body = JsonDocument.Parse(request.Body);
        var change = body.RootElement.GetProperty("data").GetProperty("changes").GetProperty("jobTitle");
        Assert.Equal(JsonValueKind.Null, change.GetProperty("before").ValueKind);
        Assert.Equal("Countess", change.GetProperty("after").GetString());
    }

    [Fact]
    public async Task ARolledBackChange_EmitsNothing_AndACrashBeforeDelivery_LosesNothing()
    {
        await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await using (var db = _host.Database.Create(_ws.Admin()))
        {
            await using var transaction = await db.BeginTransactionAsync(Ct);
            db.Contacts.Add(new Contact { FirstName = "Ghost", Email = "ghost@example.com" });
            await db.SaveChangesAsync(Ct);
            await transaction.RollbackAsync(Ct);
        }
        await CreateContactAsync(_ws, "kept@example.com");

        // The process "crashes" before sending: a new host on the same database file finds the event in the outbox.
        var directory = _host.Directory;
        await using (var restarted = await CrmTestHost.StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowedHosts:0"] = "127.0.0.1" }, directory: directory))
        {
            var sender = restarted.Resolve<WebhookSender>();
            await sender.DispatchAsync(Ct);
            while (await sender.SendDueAsync(Ct) > 0) { }
        }

        var request = Assert.Single(_receiver.Requests);
        Assert.Contains("kept@example.com", request.Body);
        Assert.DoesNotContain("ghost@example.com", request.Body);
    }

    [Fact]
    public async Task AFailure_IsRetriedWithBackoff_ARetryAfterIsHonoured_AndTheSameEventIdComesAgain()
    {
        await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await CreateContactAsync(_ws, "ada@example.com");
        _receiver.Answer(503);
        await DeliverAsync();
        var first = Assert.Single(await DeliveriesAsync(_ws));
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, 503), (first.Status, first.Attempts, first.LastStatusCode));
        // The first wait is about 5 seconds (±20%): not yet after 3 s, due after 7.
        _host.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await Sender.SendDueAsync(Ct));
        _host.Time.Advance(TimeSpan.FromSeconds(4));
        _receiver.Answer(429, retryAfter: "120");
        Assert.Equal(1, await Sender.SendDueAsync(Ct));
        var throttled = Assert.Single(await DeliveriesAsync(_ws));
        Assert.Equal(120, (throttled.NextAttemptAt - _host.Time.GetUtcNow()).TotalSeconds, 1.0);
        _host.Time.Advance(TimeSpan.FromSeconds(121));
        await DeliverAsync();

        var delivered = Assert.Single(await DeliveriesAsync(_ws));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 3), (delivered.Status, delivered.Attempts));
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Single(_receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()).Distinct());
        var log = await _host.RunAsync<ListWebhookDeliveriesHandler, IReadOnlyList<WebhookDeliveryView>>(_ws.Admin(), h => h.HandleAsync(delivered.SubscriptionId, null));
        Assert.Equal([503, 429, 200], Assert.Single(log).AttemptLog.Select(a => a.StatusCode ?? 0));
    }

    [Fact]
    public async Task EventsAboutOneRecord_AreDeliveredInOrder_TheSecondWaitingWhileTheFirstIsRetried()
    {
        await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated, WebhookEventTypes.ContactUpdated);
        var ada = await CreateContactAsync(_ws, "ada@example.com");
        await using (var db = _host.Database.Create(_ws.Admin()))
        {
            (await db.Contacts.SingleAsync(c => c.Id == ada.Id, Ct)).JobTitle = "Countess";
            await db.SaveChangesAsync(Ct);
        }
        _receiver.Answer(500);
        await DeliverAsync();
        // Ada's creation failed and is waiting to be tried again; her update waits behind it.
        Assert.Single(_receiver.Requests);
        var grace = await CreateContactAsync(_ws, "grace@example.com");
        await DeliverAsync();
        // Grace, another record, goes through meanwhile.
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Contains(_receiver.Requests, r => r.Body.Contains("grace@example.com"));
        Assert.DoesNotContain(_receiver.Requests, r => r.Body.Contains("contact.updated"));
        _host.Time.Advance(TimeSpan.FromSeconds(10));
        await DeliverAsync();

        var types = _receiver.Requests.Where(r => r.Body.Contains($"\"id\":{ada.Id},")).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal(["contact.created", "contact.created", "contact.updated"], types);
        Assert.NotEqual(ada.Id, grace.Id);
    }

    [Fact]
    public async Task AnEndpointFailingForThreeDays_IsTurnedOffWithTheReason_And410TurnsItOffAtOnce()
    {
        var failing = await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await CreateContactAsync(_ws, "ada@example.com");
        _receiver.DefaultStatus = 500;
        await DeliverAsync();
        for (var hours = 0; hours < 100 && _receiver.Requests.Count < 40; hours++)
        {
            _host.Time.Advance(TimeSpan.FromHours(1));
            await DeliverAsync();
        }

        var view = await _host.RunAsync<GetWebhookSubscriptionHandler, WebhookSubscriptionView>(_ws.Admin(), h => h.HandleAsync(failing.Subscription.Id));
        Assert.False(view.IsActive);
        Assert.Contains("3 days", view.DisabledReason);
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(await DeliveriesAsync(_ws)).Status);
        _receiver.DefaultStatus = 200;

        var other = await _host.CreateWorkspaceAsync("Other");
        var gone = await SubscribeAsync(other, WebhookEventTypes.ContactCreated);
        await CreateContactAsync(other, "zapier@example.com");
        _receiver.Answer(410);
        await DeliverAsync();
        var goneView = await _host.RunAsync<GetWebhookSubscriptionHandler, WebhookSubscriptionView>(other.Admin(), h => h.HandleAsync(gone.Subscription.Id));
        Assert.False(goneView.IsActive);
        Assert.Contains("410", goneView.DisabledReason);
    }

    [Fact]
    public async Task Redeliver_SendsTheSameEventAgain_AndATestEventReachesOnlyThatEndpoint()
    {
        var subscription = await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await CreateContactAsync(_ws, "ada@example.com");
        await DeliverAsync();
        var delivered = Assert.Single(await DeliveriesAsync(_ws));

        await _host.RunAsync<RedeliverWebhookHandler, long>(_ws.Admin(), h => h.HandleAsync(subscription.Subscription.Id, delivered.Id));
        await _host.RunAsync<SendTestWebhookHandler, long>(_ws.Admin(), h => h.HandleAsync(subscription.Subscription.Id));
        await DeliverAsync();

        var requests = _receiver.Requests.ToList();
        Assert.Equal(3, requests.Count);
        // Sent side by side, so in either order: the creation twice under one id, and the test event.
        var created = requests.Where(r => r.Body.Contains("\"type\":\"contact.created\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, created.Count);
        Assert.Equal(created[0].Headers["webhook-id"].ToString(), created[1].Headers["webhook-id"].ToString());
        Assert.Single(requests, r => r.Body.Contains("\"type\":\"webhook.test\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARotatedSecret_SignsBesideTheOldOneForADay_ThenAlone()
    {
        _host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var created = await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        var rotated = await _host.RunAsync<RotateWebhookSecretHandler, WebhookSubscriptionWithSecret>(_ws.Admin(), h => h.HandleAsync(created.Subscription.Id));
        Assert.NotEqual(created.Secret, rotated.Secret);
        await CreateContactAsync(_ws, "ada@example.com");
        await DeliverAsync();
        var during = Assert.Single(_receiver.Requests);
        // Two signatures, one per secret in force. (The library checks only the first of several, so each is given to it alone.)
        var signatures = during.Headers["webhook-signature"].ToString().Split(' ');
        Assert.Equal(2, signatures.Length);
        Microsoft.AspNetCore.Http.IHeaderDictionary With(string signature) =>
            new Microsoft.AspNetCore.Http.HeaderDictionary(during.Headers.ToDictionary(h => h.Key, h => h.Key == "webhook-signature" ? new Microsoft.Extensions.Primitives.StringValues(signature) : h.Value));
        new StandardWebhook(rotated.Secret).Verify(during.Body, With(signatures[0]));
        new StandardWebhook(created.Secret).Verify(during.Body, With(signatures[1]));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(created.Secret).Verify(during.Body, With(signatures[0])));

        _host.Time.Advance(TimeSpan.FromHours(25));
        await CreateContactAsync(_ws, "grace@example.com");
        await DeliverAsync();
        var after = _receiver.Requests.Last();
        Assert.Single(after.Headers["webhook-signature"].ToString().Split(' '));
        Assert.Equal(StandardWebhookSignature.Sign(rotated.Secret, after.Headers["webhook-id"].ToString(),
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(after.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture)), after.Body),
            after.Headers["webhook-signature"].ToString());
    }

    [Fact]
    public async Task AWorkspacesEvents_NeverReachAnotherWorkspacesEndpoint()
    {
        var other = await _host.CreateWorkspaceAsync("Other");
        await SubscribeAsync(other, WebhookEventTypes.ContactCreated);
        await CreateContactAsync(_ws, "ada@example.com");
        await DeliverAsync();
        Assert.Empty(_receiver.Requests);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.RunAsync<GetWebhookSubscriptionHandler, WebhookSubscriptionView>(_ws.Admin(), h => h.HandleAsync(1)));
    }

    [Fact]
    public async Task ARep_CannotManageEndpoints()
    {
        var rep = new Actor(_ws.Id, _ws.AdminId, Crm.Core.Users.UserRole.Rep, ChangeSource.User);
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(rep,
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = "https://hooks.example.com/in", EventTypes = [WebhookEventTypes.ContactCreated] })));
        await Assert.ThrowsAsync<ForbiddenException>(() => _host.RunAsync<ListWebhookSubscriptionsHandler, IReadOnlyList<WebhookSubscriptionView>>(rep, h => h.HandleAsync()));
    }

    [Fact]
    public async Task TheSsrfGuard_RefusesPrivateTargetsWhenSaved_AHostRebindingToAPrivateAddressAtDelivery_AndRedirects()
    {
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => _host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(_ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = "https://10.0.0.8/in", EventTypes = [WebhookEventTypes.ContactCreated] })));
        Assert.Contains("private", refused.Errors["Url"][0]);
        _dns.Map("hooks.private.test", IPAddress.Parse("192.168.0.10"));
        await Assert.ThrowsAsync<ValidationFailedException>(() => _host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(_ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = "https://hooks.private.test/in", EventTypes = [WebhookEventTypes.ContactCreated] })));

        // Saved while it resolved to a public address; by delivery time it points at loopback: no request leaves.
        _dns.Map("hooks.public.test", IPAddress.Parse("93.184.216.34"));
        var rebinding = await _host.RunAsync<CreateWebhookSubscriptionHandler, WebhookSubscriptionWithSecret>(_ws.Admin(),
            h => h.HandleAsync(new WebhookSubscriptionInput { Url = $"https://hooks.public.test:{new Uri(_receiver.Url).Port}/in", EventTypes = [WebhookEventTypes.ContactCreated] }));
        _dns.Map("hooks.public.test", IPAddress.Loopback);
        await CreateContactAsync(_ws, "ada@example.com");
        await DeliverAsync();
        Assert.Empty(_receiver.Requests);
        var delivery = Assert.Single(await DeliveriesAsync(_ws));
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Contains("no public address", delivery.LastError);
        await _host.RunAsync<DeleteWebhookSubscriptionHandler>(_ws.Admin(), h => h.HandleAsync(rebinding.Subscription.Id));

        // A redirect is not followed: the 302 is the endpoint's answer, and it is not a success.
        await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        _receiver.Answer(302, location: "http://169.254.169.254/latest/meta-data/");
        await CreateContactAsync(_ws, "grace@example.com");
        await DeliverAsync();
        Assert.Single(_receiver.Requests);
        var redirected = (await DeliveriesAsync(_ws)).Last();
        Assert.Equal((WebhookDeliveryStatus.Failed, 302), (redirected.Status, redirected.LastStatusCode));
    }

    [Fact]
    public async Task SentEvents_AreKeptAWeekForTheLogAndPollers_ThenCleanedUp_UnlessStillWaiting()
    {
        await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await CreateContactAsync(_ws, "ada@example.com");
        await DeliverAsync();
        _receiver.DefaultStatus = 503;
        await CreateContactAsync(_ws, "grace@example.com");
        await DeliverAsync();

        _host.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await Sender.CleanUpAsync(Ct));
        _host.Time.Advance(TimeSpan.FromDays(2));
        // Ada's was delivered: gone with its log. Grace's is still being retried: kept.
        Assert.Equal(1, await Sender.CleanUpAsync(Ct));
        var left = Assert.Single(await DeliveriesAsync(_ws));
        Assert.Equal(WebhookDeliveryStatus.Pending, left.Status);
    }

    [Fact]
    public async Task AnEndpointWithABacklog_DoesNotHoldUpAnother_EachGetsItsShareOfARound()
    {
        await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await using var other = await SecondEndpointAsync();
        await AddContactsAsync(300);
        await Sender.DispatchAsync(Ct);

        await Sender.SendDueAsync(Ct);

        // One round: each endpoint got its share (256), not one endpoint everything first.
        Assert.Equal(256, _receiver.Requests.Count);
        Assert.Equal(256, other.Requests.Count);
        while (await Sender.SendDueAsync(Ct) > 0) { }
        Assert.Equal(300, _receiver.Requests.Count);
        Assert.Equal(300, other.Requests.Count);
    }

    [Fact]
    public async Task A429_PausesTheWholeEndpointForItsRetryAfter_NotOnlyThatDelivery_AndOtherEndpointsKeepGoing()
    {
        var throttledEndpoint = await SubscribeAsync(_ws, WebhookEventTypes.ContactCreated);
        await using var other = await SecondEndpointAsync();
        await AddContactsAsync(40);
        await Sender.DispatchAsync(Ct);
        // The first request gets the 429 at once; the others under way take a second, so the sender has seen the 429
        // before any request slot frees up (on a loaded machine a quick 200 could otherwise free one first).
        _receiver.Answer(429, retryAfter: "60");
        _receiver.DefaultDelay = TimeSpan.FromSeconds(1);

        await Sender.SendDueAsync(Ct);
        _receiver.DefaultDelay = TimeSpan.Zero;

        // The storm is not fed: after the 429 no new request starts (at most the 8 already under way were sent).
        Assert.InRange(_receiver.Requests.Count, 1, WebhookSender.PerEndpointConcurrency);
        Assert.Equal(40, other.Requests.Count);
        var view = await _host.RunAsync<GetWebhookSubscriptionHandler, WebhookSubscriptionView>(_ws.Admin(), h => h.HandleAsync(throttledEndpoint.Subscription.Id));
        Assert.Equal(60, (view.PausedUntil!.Value - _host.Time.GetUtcNow()).TotalSeconds, 1.0);
        Assert.Contains("429", view.PauseReason);

        // Paused: nothing goes to it, even deliveries that were never tried.
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var before = _receiver.Requests.Count;
        while (await Sender.SendDueAsync(Ct) > 0) { }
        Assert.Equal(before, _receiver.Requests.Count);

        _host.Time.Advance(TimeSpan.FromSeconds(31));
        while (await Sender.SendDueAsync(Ct) > 0) { }
        var deliveries = (await DeliveriesAsync(_ws)).Where(d => d.SubscriptionId == throttledEndpoint.Subscription.Id).ToList();
        Assert.Equal(40, deliveries.Count(d => d.Status == WebhookDeliveryStatus.Delivered));
        Assert.Equal(40, _receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()).Distinct().Count());
        var resumed = await _host.RunAsync<GetWebhookSubscriptionHandler, WebhookSubscriptionView>(_ws.Admin(), h => h.HandleAsync(throttledEndpoint.Subscription.Id));
        Assert.Null(resumed.PausedUntil);
    }

    /// <summary>Names resolved as the test says; anything else as the system does.</summary>
    private sealed class ReroutableDns : IWebhookDns
    {
        private readonly Dictionary<string, IPAddress> _map = new(StringComparer.OrdinalIgnoreCase);
        private readonly SystemWebhookDns _system = new();

        public void Map(string host, IPAddress address)
        {
            lock (_map) _map[host] = address;
        }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            lock (_map)
                if (_map.TryGetValue(host, out var address)) return Task.FromResult(new[] { address });
            return _system.ResolveAsync(host, ct);
        }
    }
}
