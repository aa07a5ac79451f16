using System.Net;
using System.Text.Json;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Email;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Infrastructure.Email;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>Sending from a rep's Gmail (the sandbox's, over HTTP) and the tracking pixel and links through the real pipeline.</summary>
public class SendAndTrackTests : IAsyncLifetime
{
    private const string Mailbox = "riley@gmail.test";
    private SandboxServer _sandbox = default!;
    private CrmWebFactory _factory = default!;
    private ConnectionRef _connection;
    private string? _accountId;
    private long _rep;
    private long _ada;
    private BrowserSession _repSession = default!;
    private HttpClient _control = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private CrmDatabase Database => _factory.Services.GetRequiredService<CrmDatabase>();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync();
        _factory = new CrmWebFactory(new Dictionary<string, string>(_sandbox.CrmSettings()) { ["Jobs:Enabled"] = "false", ["Email:PublicUrl"] = "https://crm.example.test" });
        _rep = await _factory.CreateUserAsync(_factory.FirstWorkspaceId, "riley@first.example", "riley-password-1");
        _repSession = await BrowserSession.SignInAsync(_factory, "riley@first.example", "riley-password-1");
        Assert.Equal(HttpStatusCode.Redirect, (await _sandbox.ConnectAsync(_repSession, "google", "email", account: Mailbox, returnUrl: "/me/connections")).StatusCode);
        await using var db = Database.Create(Actor.System(_factory.FirstWorkspaceId));
        var connection = await db.Integrations.SingleAsync(i => i.Type == IntegrationType.Email, Ct);
        _connection = new ConnectionRef(_factory.FirstWorkspaceId, connection.Id, connection.Provider);
        _accountId = connection.AccountId;
        var ada = new Contact { FirstName = "Ada", LastName = "Lovelace", Email = "ada@engines.example" };
        db.Contacts.Add(ada);
        await db.SaveChangesAsync(Ct);
        _ada = ada.Id;
        _control = new HttpClient { BaseAddress = new Uri(_sandbox.Url) };
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await _factory.DisposeAsync();
        await _sandbox.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task<ActivityDto> SendAsync(SendEmailInput input)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = new Actor(_factory.FirstWorkspaceId, _rep, UserRole.Rep, ChangeSource.User);
        return await scope.ServiceProvider.GetRequiredService<SendEmailHandler>().HandleAsync(input, Ct);
    }

    private async Task SyncAsync()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(_connection.WorkspaceId, ChangeSource.Sync);
        await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>().HandleAsync(_connection, IntegrationType.Email, _accountId, "manual", Ct);
    }

    private async Task<EmailActivity> EmailAsync(long id)
    {
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        return await db.Activities.OfType<EmailActivity>().AsNoTracking().SingleAsync(a => a.Id == id, Ct);
    }

    [Fact]
    public async Task Sending_FillsMergeFields_IsOnTheTimelineAtOnce_LeavesWithOurMessageId_AndTheSyncedCopyIsTheSameActivity()
    {
        var sent = await SendAsync(new SendEmailInput(_ada, "Engines for {{company}}{{first_name}}", "Dear {{first_name}},\n\nsee https://engines.example/offer?a=1&b=2\n\n{{sender_name}}"));

        var email = await EmailAsync(sent.Id);
        Assert.Equal(("Engines for Ada", ActivityDirection.Outbound, EmailProvider.Crm, true, _ada), (email.Subject, email.Direction, email.Provider, email.Tracked, email.ContactId!.Value));
        Assert.StartsWith("Dear Ada,", email.Body, StringComparison.Ordinal);
        // What left: our Message-ID, the tracked link and the pixel in the HTML, the text untouched.
        var stats = JsonDocument.Parse(await _control.GetStringAsync($"/_sandbox/google/gmail/{Mailbox}/stats", Ct)).RootElement;
        Assert.Equal(1, stats.GetProperty("messages").GetInt32());

        await SyncAsync();
        await using var db = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.Equal(1, await db.Activities.OfType<EmailActivity>().CountAsync(Ct));
        Assert.Equal(2, await db.MailboxMessages.CountAsync(Ct));
    }

    [Fact]
    public async Task AnUnknownMergeField_OrNoMailbox_IsAClearRefusal_AndNothingIsSent()
    {
        var unknown = await Assert.ThrowsAsync<ValidationFailedException>(() => SendAsync(new SendEmailInput(_ada, "Hi {{nickname}}", "x")));
        Assert.Contains("{{nickname}}", unknown.Message, StringComparison.Ordinal);

        await using (var db = Database.Create(Actor.System(_connection.WorkspaceId)))
        {
            var connection = await db.Integrations.SingleAsync(i => i.Id == _connection.IntegrationId, Ct);
            connection.Status = ConnectionStatus.NeedsReconnect;
            await db.SaveChangesAsync(Ct);
        }
        var noMailbox = await Assert.ThrowsAsync<ValidationFailedException>(() => SendAsync(new SendEmailInput(_ada, "Hi", "x")));
        Assert.Contains("Connect your mailbox", noMailbox.Message, StringComparison.Ordinal);
        await using var read = Database.Create(Actor.System(_connection.WorkspaceId));
        Assert.False(await read.Activities.OfType<EmailActivity>().AnyAsync(Ct));
    }

    [Fact]
    public async Task TheTrackingPixel_CountsOpens_MarksProxyOpens_AndIgnoresTheSendersOwn()
    {
        var sent = await SendAsync(new SendEmailInput(_ada, "Offer", "Here it is."));
        var pixel = new Uri(_factory.Services.GetRequiredService<EmailTracking>().PixelUrl(_factory.FirstWorkspaceId, sent.Id)).PathAndQuery;
        var anonymous = _factory.CreateClient();

        var image = await anonymous.GetAsync(pixel, Ct);
        Assert.Equal("image/gif", image.Content.Headers.ContentType?.MediaType);
        using (var proxied = new HttpRequestMessage(HttpMethod.Get, pixel))
        {
            proxied.Headers.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)");
            (await anonymous.SendAsync(proxied, Ct)).EnsureSuccessStatusCode();
        }
        (await _repSession.Client.GetAsync(pixel, Ct)).EnsureSuccessStatusCode();
        // A made-up pixel looks the same to whoever fetches it, and counts nothing.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/t/o/forged.gif", Ct)).StatusCode);

        var email = await EmailAsync(sent.Id);
        Assert.Equal((2, 1), (email.OpenCount, email.AutomaticOpenCount));
        Assert.NotNull(email.OpenedAt);
    }

    [Fact]
    public async Task ATrackedLink_RedirectsOnlyToItsOwnUrl_AndATamperedOneGetsA400Page()
    {
        var sent = await SendAsync(new SendEmailInput(_ada, "Offer", "See https://engines.example/offer"));
        var link = new Uri(_factory.Services.GetRequiredService<EmailTracking>().ClickUrl(_factory.FirstWorkspaceId, sent.Id, "https://engines.example/offer")).PathAndQuery;
        var anonymous = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var click = await anonymous.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("https://engines.example/offer", click.Headers.Location!.ToString());
        (await anonymous.GetAsync(link, Ct)).Dispose();

        var tampered = await anonymous.GetAsync(link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..], Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Null(tampered.Headers.Location);
        Assert.Contains("This link is not valid", await tampered.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var email = await EmailAsync(sent.Id);
        Assert.Equal(("https://engines.example/offer", 2), (Assert.Single(email.ClickedLinks).Url, email.ClickedLinks[0].ClickCount));
    }
}
