using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Crm.Tests.Browser;

/// <summary>A rep's mail on the timeline: Gmail connected, a contact's email synced; the admin's email logging page.</summary>
[Collection(LiveAppCollection.Name)]
public class EmailTests(LiveAppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARep_ConnectsGmail_AContactsEmailAppearsOnTheTimeline_TheRepAnswersFromTheContactsPage_AndSeesItOpened()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "rep@example.com", "rep-password-1", "/me/connections");
        await Expect(page.Locator("#my-logging-address")).ToContainTextAsync("@");
        var contacts = await page.APIRequest.GetAsync($"{app.Web.BaseUrl}/api/v1/contacts?pageSize=1&sort=name");
        var contact = (await contacts.JsonAsync())!.Value.GetProperty("items")[0];
        var (contactId, contactEmail) = (contact.GetProperty("id").GetInt64(), contact.GetProperty("email").GetString()!);

        const string mailbox = "riley.timeline@gmail.test";
        await page.ClickAsync("#connect-gmail");
        await page.FillAsync("#account", mailbox);
        await page.ClickAsync("#grant");
        await page.WaitForURLAsync(url => url.EndsWith("/me/connections", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#status-gmail")).ToHaveTextAsync("Connected");

        // The contact writes to the rep; the message is in the rep's Gmail (the sandbox's).
        var subject = $"Engine delivery {Guid.NewGuid():N}"[..24];
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(contactEmail));
        message.To.Add(MailboxAddress.Parse(mailbox));
        message.Subject = subject;
        message.Date = DateTimeOffset.UtcNow.AddMinutes(-5);
        message.Body = new TextPart("plain") { Text = "Can we move the delivery to Tuesday?" };
        using (var raw = new MemoryStream())
        using (var sandbox = new HttpClient { BaseAddress = new Uri(app.Sandbox.BaseUrl) })
        {
            await message.WriteToAsync(raw, Ct);
            (await sandbox.PostAsync($"/_sandbox/google/gmail/{mailbox}/messages?labels=INBOX", new ByteArrayContent(raw.ToArray()), Ct)).EnsureSuccessStatusCode();
        }

        await page.ClickAsync("#sync-now-gmail");
        var timeline = await page.WaitForTimelineAsync(app.Web.BaseUrl, contactId, subject, Ct);
        var entry = timeline.Locator(".timeline-entry[data-type=email]", new() { HasText = subject });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync("Received");
        await Expect(entry).ToContainTextAsync("Can we move the delivery to Tuesday?");

        // The rep answers from the contact's page: the email is on the timeline at once; the contact opens it.
        await page.ClickAsync("#email-contact");
        await page.FillAsync("#email-subject", "Re: " + subject);
        await page.FillAsync("#email-body", "Hi {{first_name}},\n\nTuesday works.");
        await page.ClickAsync("#send-email");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Email sent.");
        var sent = timeline.Locator(".timeline-entry[data-type=email]", new() { HasText = "Tuesday works." });
        await Expect(sent).ToContainTextAsync("Sent");
        await Expect(sent).ToContainTextAsync("sent from the CRM");
        using (var sandbox = new HttpClient { BaseAddress = new Uri(app.Sandbox.BaseUrl) })
        {
            var raw = await sandbox.GetStringAsync($"/_sandbox/google/gmail/{mailbox}/last-sent", Ct);
            var html = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw))).HtmlBody ?? "";
            var pixel = System.Text.RegularExpressions.Regex.Match(html, "src=\"([^\"]+/t/o/[^\"]+)\"").Groups[1].Value;
            Assert.StartsWith(app.Web.BaseUrl, System.Net.WebUtility.HtmlDecode(pixel), StringComparison.Ordinal);
            using var recipient = new HttpClient();
            (await recipient.GetAsync(System.Net.WebUtility.HtmlDecode(pixel), Ct)).EnsureSuccessStatusCode();
        }
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(timeline.Locator(".timeline-entry[data-type=email]", new() { HasText = "Tuesday works." })).ToContainTextAsync("opened 1×");

        // Leave the rep's connections as other tests expect them.
        await page.GotoAsync($"{app.Web.BaseUrl}/me/connections");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#disconnect-gmail");
        await Expect(page.Locator("#status-gmail")).ToHaveTextAsync("Disconnected");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnAdmin_SeesTheLoggingAddress_AndANeverLogEntryThatIsNotADomainIsNamed()
    {
        var page = await app.Browser.NewPageAsync();
        await page.SignInAsync(app.Web.BaseUrl, "admin@example.com", "admin-password-1", "/admin/email");
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Email logging");
        await Expect(page.Locator("#logging-address")).ToContainTextAsync("@");
        await page.WaitForInteractiveAsync();
        await page.FillAsync("#never-log", "bank.example\nnot a domain");
        await page.ClickAsync("#save-email-rules");
        await Expect(page.Locator("#email-rules")).ToContainTextAsync("Not an email address or a domain: \"not a domain\"");
        await page.FillAsync("#never-log", "bank.example");
        await page.ClickAsync("#save-email-rules");
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Email logging rules saved.");
        await page.FillAsync("#never-log", "");
        await page.ClickAsync("#save-email-rules");
        await Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync("Email logging rules saved.");
        await page.Context.CloseAsync();
    }
}
