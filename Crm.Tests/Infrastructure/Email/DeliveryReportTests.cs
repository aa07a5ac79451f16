using Crm.Core.Email;
using Crm.Core.Timeline;
using Crm.Infrastructure.Email;
using Crm.Tests.TestSupport;
using MimeKit;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>Delivery-status notifications, real ones (Postfix through Office 365, Exim) and a built soft one.</summary>
public class DeliveryReportTests
{
    private static MimeMessage Load(string file) => MimeMessage.Load(Path.Combine(TestPaths.TestData, "email", "mimekit", file));

    [Fact]
    public void APostfixReport_WithItsFieldsBase64Encoded_IsAHardBounce_OfTheReturnedMessage()
    {
        var bounce = MimeEmails.ToIncoming(Load("bounce.txt")).Bounce;

        Assert.NotNull(bounce);
        Assert.Equal(("5.1.1", BounceType.Hard), (bounce.Status, bounce.Type));
        Assert.Equal("44565655.JitbitHelpdesk.13439.691a0afc-a0a0-457c-8208-f20b7c4a4cb1@jitbit.com", bounce.OriginalMessageId);
        Assert.Equal("netec.test@netecgc.com", bounce.Recipient);
    }

    [Fact]
    public void AnEximReport_IsAHardBounce_EvenWithoutTheOriginalsMessageId()
    {
        var bounce = MimeEmails.ToIncoming(Load("delivery-status2.txt")).Bounce;

        Assert.NotNull(bounce);
        Assert.Equal(("5.0.0", BounceType.Hard, "source@domain.com"), (bounce.Status, bounce.Type, bounce.Recipient));
        Assert.Null(bounce.OriginalMessageId);
    }

    [Fact]
    public void AMailboxFullReport_IsASoftBounce_AndOrdinaryMailIsNoBounce()
    {
        var original = new MimeMessage();
        original.From.Add(MailboxAddress.Parse("riley@first.example"));
        original.To.Add(MailboxAddress.Parse("ada@engines.example"));
        original.MessageId = "sent-1@first.example";
        original.Subject = "Offer";
        original.Body = new TextPart("plain") { Text = "Here it is." };
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.engines.example" } });
        status.StatusGroups.Add(new HeaderList { { "Final-Recipient", "rfc822; ada@engines.example" }, { "Action", "delayed" }, { "Status", "4.2.2" } });
        var report = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "Mailbox full; we will keep trying." }, status, new MessagePart { Message = original } };
        var dsn = new MimeMessage();
        dsn.From.Add(MailboxAddress.Parse("MAILER-DAEMON@mx.engines.example"));
        dsn.To.Add(MailboxAddress.Parse("riley@first.example"));
        dsn.Subject = "Delayed Mail";
        dsn.Body = report;

        var bounce = MimeEmails.ToIncoming(dsn).Bounce;

        Assert.Equal(("4.2.2", BounceType.Soft, "sent-1@first.example"), (bounce!.Status, bounce.Type, bounce.OriginalMessageId));
        Assert.Null(MimeEmails.ToIncoming(original).Bounce);
    }
}
