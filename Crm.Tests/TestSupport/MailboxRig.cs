using System.Net;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Sync;
using Crm.Core.Integrations.Tokens;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Crm.Tests.TestSupport;

/// <summary>
/// A rep's mailbox (Gmail or Outlook) connected to the test app through the sandbox over HTTP, as the mailbox tests
/// share it: the sandbox, the app (reachable at a public loopback address when push is tested), the connection, Ada
/// as the contact mail is exchanged with, and the sandbox's control endpoints to put mail in the mailbox.
/// </summary>
public sealed class MailboxRig : IAsyncDisposable
{
    private MailboxRig(SandboxServer sandbox, PublicAddress? publicAddress, CrmWebFactory factory, string provider, string mailbox)
    {
        (Sandbox, Public, Factory, Provider, Mailbox) = (sandbox, publicAddress, factory, provider, mailbox);
        Control = new HttpClient { BaseAddress = new Uri(sandbox.Url) };
    }

    public SandboxServer Sandbox { get; }
    public PublicAddress? Public { get; }
    public CrmWebFactory Factory { get; }
    public string Provider { get; }
    public string Mailbox { get; }
    public HttpClient Control { get; }
    public ConnectionRef Connection { get; private set; }
    public string? AccountId { get; private set; }
    public long AdaId { get; private set; }
    public CrmDatabase Database => Factory.Services.GetRequiredService<CrmDatabase>();

    /// <param name="provider">"google" or "microsoft".</param>
    /// <param name="settings">More app settings, given the public address when <paramref name="reachable"/>.</param>
    public static async Task<MailboxRig> StartAsync(string provider, string mailbox, string rep, bool reachable = false,
        Func<string?, IReadOnlyDictionary<string, string>>? settings = null, CancellationToken ct = default)
    {
        var sandbox = await SandboxServer.StartAsync();
        var publicAddress = reachable ? new PublicAddress() : null;
        var all = new Dictionary<string, string>(sandbox.CrmSettings()) { ["Jobs:Enabled"] = "false" };
        foreach (var (key, value) in settings?.Invoke(publicAddress?.Url) ?? new Dictionary<string, string>()) all[key] = value;
        var rig = new MailboxRig(sandbox, publicAddress, new CrmWebFactory(all), provider, mailbox);
        publicAddress?.Start(rig.Factory.CreateClient());
        var password = rep.Split('@')[0] + "-password-1";
        await rig.Factory.CreateUserAsync(rig.Factory.FirstWorkspaceId, rep, password);
        var session = await BrowserSession.SignInAsync(rig.Factory, rep, password);
        var connected = await sandbox.ConnectAsync(session, provider, "email", account: mailbox, returnUrl: "/me/connections");
        if (connected.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Connecting {mailbox} answered {connected.StatusCode}.");
        await using var db = rig.Database.Create(Actor.System(rig.Factory.FirstWorkspaceId));
        var connection = await db.Integrations.SingleAsync(i => i.Type == IntegrationType.Email, ct);
        rig.Connection = new ConnectionRef(rig.Factory.FirstWorkspaceId, connection.Id, connection.Provider);
        rig.AccountId = connection.AccountId;
        var ada = new Contact { FirstName = "Ada", Email = "ada@engines.example" };
        db.Contacts.Add(ada);
        await db.SaveChangesAsync(ct);
        rig.AdaId = ada.Id;
        return rig;
    }

    /// <summary>The mailbox's sync as the scheduler runs it; the run it recorded.</summary>
    public async Task<SyncRun> SyncAsync(string trigger = "manual", CancellationToken ct = default)
    {
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ExplicitActor>().Value = Actor.System(Connection.WorkspaceId, ChangeSource.Sync, $"connection:{Connection.IntegrationId}");
            await scope.ServiceProvider.GetRequiredService<SyncConnectionHandler>().HandleAsync(Connection, IntegrationType.Email, AccountId, trigger, ct);
        }
        await using var db = Database.Create(Actor.System(Connection.WorkspaceId));
        return await db.SyncRuns.OrderByDescending(r => r.Id).FirstAsync(ct);
    }

    public async Task<List<EmailActivity>> EmailsAsync(CancellationToken ct = default)
    {
        await using var db = Database.Create(Actor.System(Connection.WorkspaceId));
        return await db.Activities.OfType<EmailActivity>().OrderBy(a => a.OccurredAt).ToListAsync(ct);
    }

    /// <summary>A plain message between two addresses, as a mail server would have delivered it.</summary>
    public static MimeMessage Message(string from, string to, string subject, DateTimeOffset? at = null, bool bulk = false)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = at ?? DateTimeOffset.UtcNow.AddHours(-1);
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mail.example");
        if (bulk) message.Headers.Add("List-Unsubscribe", "<https://news.example/unsubscribe>");
        message.Body = new TextPart("plain") { Text = $"About {subject}." };
        return message;
    }

    /// <summary>
    /// Puts the message in the sandbox mailbox, received at <paramref name="at"/> (an hour ago by default): Gmail labels
    /// ("INBOX", "SENT,…") or an Outlook folder ("inbox", "sentitems"). Returns the provider's id.
    /// </summary>
    public async Task<string> DeliverAsync(MimeMessage message, string? place = null, DateTimeOffset? at = null, CancellationToken ct = default)
    {
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw, ct);
        var received = at ?? DateTimeOffset.UtcNow.AddHours(-1);
        var path = Provider == "google"
            ? $"/_sandbox/google/gmail/{Mailbox}/messages?labels={place ?? "INBOX"}&internalDate={received.ToUnixTimeMilliseconds()}"
            : $"/_sandbox/microsoft/mail/{Mailbox}/messages?folder={place ?? "inbox"}&receivedAt={Uri.EscapeDataString(received.ToString("O"))}";
        var response = await Control.PostAsync(path, new ByteArrayContent(raw.ToArray()), ct);
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        if (Public is not null) await Public.DisposeAsync();
        await Factory.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
