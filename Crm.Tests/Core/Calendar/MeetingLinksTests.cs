using Crm.Core.Calendar;

namespace Crm.Tests.Core.Calendar;

/// <summary>
/// The join link of each vendor's invitation as its calendar writes it into the event: plain text, Outlook's HTML and
/// angle brackets, Safe Links and Google's redirector, with the dial-in and help links that must not be taken for it.
/// </summary>
public class MeetingLinksTests
{
    // Zoom's invitation text, as the Moodle Zoom plugin's tests quote it (ncstate-delta/moodle-mod_zoom, tests/invitation_test.php, GPL-3.0-or-later).
    private const string ZoomInvitation = "Organization is inviting you to a scheduled Zoom meeting.\r\n\r\nTopic: Zoom Meeting\r\nTime: Mar 15, 2021 06:08 AM London\r\n"
        + "Join Zoom Meeting\r\nhttps://us02web.zoom.us/j/12341234123?pwd=THBLWExVS0QyYnV1Z1nZTDJGYVI2QT09\r\n\r\nMeeting ID: 123 1234 1234\r\nPasscode: 123123\r\n\r\n"
        + "One tap mobile\r\n+61323452345,,12341234123#,,,,*123456# Australia\r\n\r\nDial by your location\r\n\t\t+61 3 5678 5678 Australia\r\n"
        + "Find your local number: https://us02web.zoom.us/u/abcde12345\r\n\r\nJoin by SIP\r\n1231231231234@zoomabc.com\r\n";

    // Google Calendar's Meet block at the end of a description (its "-::~:~::" fences and the tel.meet and help links).
    private const string MeetDescription = "Quarterly review\n\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-\n"
        + "Join with Google Meet: https://meet.google.com/abc-defg-hij\nOr dial: (US) +1 408-555-0199 PIN: 123456789#\n"
        + "More phone numbers: https://tel.meet/abc-defg-hij?pin=1234567890123\n\nLearn more about Meet at: https://support.google.com/a/users/answer/9282720\n\n"
        + "Please do not edit this section.\n-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-";

    private const string TeamsJoin = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NDYzZGU4MzgtMWUwZS00OTU1LThjNDQtZWUzYjdiZWM2OTMx%40thread.v2/0"
                                     + "?context=%7b%22Tid%22%3a%22f5222e6c-5fc6-48eb-8f03-73db18203b63%22%2c%22Oid%22%3a%2226d681d5-1ec6-40ee-aa28-ef79944434d3%22%7d";

    // Outlook's Teams block in an HTML body: entities, the join link in an href, the meeting options and "learn more" links around it.
    private static readonly string TeamsHtml = "<html><body><div>Let us go through the renewal.</div><div style=\"width:100%\">"
        + "<span>________________________________________________________________________________</span></div>"
        + "<div><span style=\"font-size:24px\">Microsoft Teams meeting</span></div><div><span>Join on your computer, mobile app or room device</span></div>"
        + "<div><a href=\"https://aka.ms/JoinTeamsMeeting\">Learn more</a> | <a href=\"https://teams.microsoft.com/meetingOptions/?organizerId=1&amp;tenantId=2\">Meeting options</a></div>"
        + $"<div><a class=\"me-email-headline\" href=\"{TeamsJoin.Replace("&", "&amp;")}\" target=\"_blank\">Click here to join the meeting</a></div>"
        + "<div>Meeting ID: 123 456 789 012<br>Passcode: aBc123</div></body></html>";

    // Outlook's plain-text body: the same block with the link in angle brackets after its text.
    private static readonly string TeamsText = "Let us go through the renewal.\r\n\r\n________________________________________________________________________________\r\n"
        + "Microsoft Teams meeting\r\nJoin on your computer, mobile app or room device\r\nClick here to join the meeting<" + TeamsJoin + ">\r\n"
        + "Meeting ID: 123 456 789 012\r\nPasscode: aBc123\r\nDownload Teams<https://www.microsoft.com/microsoft-teams/download-app> | Join on the web<https://www.microsoft.com/microsoft-teams/join-a-meeting>\r\n";

    // Webex's invitation (the layout of the LLVM Flang call's published "Join from the meeting link" block).
    private const string WebexInvitation = "Join from the meeting link\n  https://lanl-us.webex.com/lanl-us/j.php?MTID=m0fcaebfcf6b4b4f506efd792a71a015c\n"
        + "Join by meeting number\n  Meeting number (access code): 177 400 7047\n  Meeting password: 6PCdCYKmN43\n"
        + "Tap to join from a mobile device (attendees only)\n  +1-415-655-0002,,1774007047## US Toll\nGlobal call-in numbers\n  https://lanl-us.webex.com/lanl-us/globalcallin.php?MTID=m0e2b9a1a";

    [Fact]
    public void Zoom_InvitationText_GivesTheJoinLink_NotTheLocalNumbersPage() =>
        Assert.Equal("https://us02web.zoom.us/j/12341234123?pwd=THBLWExVS0QyYnV1Z1nZTDJGYVI2QT09", MeetingLinks.FindIn(ZoomInvitation));

    [Fact]
    public void GoogleMeet_DescriptionBlock_GivesTheMeetLink_NotTelMeetOrHelp() =>
        Assert.Equal("https://meet.google.com/abc-defg-hij", MeetingLinks.FindIn(MeetDescription));

    [Fact]
    public void Teams_HtmlBody_GivesTheJoinLink_DecodedFromItsHref() => Assert.Equal(TeamsJoin, MeetingLinks.FindIn(TeamsHtml));

    [Fact]
    public void Teams_PlainTextBody_GivesTheLinkInsideAngleBrackets() => Assert.Equal(TeamsJoin, MeetingLinks.FindIn(TeamsText));

    [Fact]
    public void Webex_Invitation_GivesTheMeetingLink_NotTheCallInNumbers() =>
        Assert.Equal("https://lanl-us.webex.com/lanl-us/j.php?MTID=m0fcaebfcf6b4b4f506efd792a71a015c", MeetingLinks.FindIn(WebexInvitation));

    [Fact]
    public void SafeLinksWrapped_TeamsLink_IsUnwrapped()
    {
        var wrapped = "https://nam12.safelinks.protection.outlook.com/?url=" + Uri.EscapeDataString(TeamsJoin) + "&data=05%7C01%7Cx&sdata=abc&reserved=0";
        Assert.Equal(TeamsJoin, MeetingLinks.FindIn("Join: <" + wrapped + ">"));
    }

    [Fact]
    public void GoogleRedirector_WrappedZoomLink_IsUnwrapped() =>
        Assert.Equal("https://acme.zoom.us/j/98765432109?pwd=abc", MeetingLinks.FindIn(
            "<a href=\"https://www.google.com/url?q=https://acme.zoom.us/j/98765432109?pwd%3Dabc&amp;sa=D&amp;source=calendar&amp;usg=AOvVaw\">Join</a>".Replace("pwd%3Dabc", Uri.EscapeDataString("pwd=abc"))));

    [Fact]
    public void ConferenceData_WinsOverTheDescription_AndLocationOverDescription()
    {
        Assert.Equal("https://meet.google.com/xyz-abcd-efg", MeetingLinks.Find("https://meet.google.com/xyz-abcd-efg", null, MeetDescription));
        Assert.Equal("https://acme.webex.com/meet/sam", MeetingLinks.Find(null, "https://acme.webex.com/meet/sam", ZoomInvitation));
    }

    [Theory]
    [InlineData("https://meet.google.com/")]
    [InlineData("https://zoom.us/")]
    [InlineData("https://zoom.us/download")]
    [InlineData("http://us02web.zoom.us/j/123456789")]
    [InlineData("https://evil.example/https://meet.google.com/abc-defg-hij")]
    [InlineData("https://teams.microsoft.com/meetingOptions/?x=1")]
    [InlineData("Room 4, Hauptstrasse 3")]
    [InlineData("javascript:alert(1)")]
    public void NotAJoinLink_GivesNothing(string text) => Assert.Null(MeetingLinks.FindIn(text));

    [Fact]
    public void HugeDescription_IsSearchedWithoutTrouble() =>
        Assert.Equal("https://meet.google.com/abc-defg-hij", MeetingLinks.FindIn(new string('x', 40_000) + " https://meet.google.com/abc-defg-hij " + new string('y', 2_000_000)));
}
