using Crm.Core.Calendar;

namespace Crm.Tests.Core.Calendar;

public class CalendarTimesTests
{
    [Theory]
    [InlineData("Pacific Standard Time", "America/Los_Angeles")]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("GMT Standard Time", "Europe/London")]
    [InlineData("Tokyo Standard Time", "Asia/Tokyo")]
    [InlineData("Europe/Paris", "Europe/Paris")]
    public void WindowsAndIanaNames_GiveTheIanaZone(string name, string iana) => Assert.Equal(iana, CalendarTimes.IanaOf(name));

    [Fact]
    public void UnknownZone_IsNoZone_AndReadsAsUtc()
    {
        Assert.Null(CalendarTimes.IanaOf("Mars/Olympus_Mons"));
        Assert.Equal(TimeZoneInfo.Utc, CalendarTimes.ZoneOf("Mars/Olympus_Mons"));
    }

    [Fact]
    public void ATimeTheClockSkips_MovesForwardByTheGap()
    {
        // New York springs forward at 02:00 on 8 March 2026: 02:30 does not exist and reads as 03:30 EDT.
        var at = CalendarTimes.At(new DateTime(2026, 3, 8, 2, 30, 0), CalendarTimes.ZoneOf("America/New_York"));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), at.ToUniversalTime());
    }

    [Fact]
    public void ATimeTheClockRepeats_IsTheFirstOne()
    {
        // London falls back at 02:00 BST on 25 October 2026: 01:30 happens twice; the first is 00:30 UTC.
        var at = CalendarTimes.At(new DateTime(2026, 10, 25, 1, 30, 0), CalendarTimes.ZoneOf("Europe/London"));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), at.ToUniversalTime());
    }

    [Fact]
    public void AnAllDayDate_IsMidnightInTheCalendarsZone()
    {
        var at = CalendarTimes.AtMidnight(new DateOnly(2026, 12, 5), CalendarTimes.ZoneOf("Pacific Standard Time"));
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero), at.ToUniversalTime());
    }

    [Fact]
    public void CalendarChoices_KeepWhatWasChosen_AndStartWithThePrimary()
    {
        var first = CalendarSettings.Empty.Refreshed([new CalendarChoice("a", "A", true, true, false), new CalendarChoice("b", "B", false, true, false)]);
        Assert.Equal(["a"], first.SelectedCalendars.Select(c => c.Id));
        var chosen = first with { Calendars = first.Calendars.Select(c => c with { Selected = c.Id == "b" }).ToList(), OutCalendarId = "b" };
        var again = chosen.Refreshed([new CalendarChoice("a", "A", true, true, false), new CalendarChoice("b", "B (renamed)", false, true, false), new CalendarChoice("c", "C", false, false, false)]);
        Assert.Equal(["b"], again.SelectedCalendars.Select(c => c.Id));
        Assert.Equal("B (renamed)", again.OutCalendar!.Name);
        var gone = again.Refreshed([new CalendarChoice("a", "A", true, true, false)]);
        Assert.Empty(gone.SelectedCalendars);
        Assert.Equal("a", gone.OutCalendar!.Id);
    }
}
