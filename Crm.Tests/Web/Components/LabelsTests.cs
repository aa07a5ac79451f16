using Crm.Web.Components.Shared;

namespace Crm.Tests.Web.Components;

/// <summary>Words and numbers the pages print: one is singular, thousands are separated whatever the server's culture.</summary>
public sealed class LabelsTests
{
    [Theory]
    [InlineData(0, "row", null, "0 rows")]
    [InlineData(1, "row", null, "1 row")]
    [InlineData(2000, "row", null, "2,000 rows")]
    [InlineData(1, "entry", "entries", "1 entry")]
    [InlineData(3, "entry", "entries", "3 entries")]
    public void Count_IsSingularForOne_AndPluralOtherwise(int value, string noun, string? plural, string expected) =>
        Assert.Equal(expected, Labels.Count(value, noun, plural));

    [Fact]
    public async Task Times_AreShownInThePersonsZone_AndInUtcOnlyWhenThatIsTheirs()
    {
        var at = new DateTimeOffset(2026, 8, 14, 22, 18, 0, TimeSpan.Zero);
        // Each flow of work has its own zone (as each request and each circuit's activity sets it).
        await Task.Run(() =>
        {
            Assert.Equal("14 Aug 2026, 22:18 UTC", Labels.When(at));
            Labels.UseZone(TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
            Assert.Equal("15 Aug 2026, 07:18", Labels.When(at));
            Assert.Equal("07:18", Labels.Clock(at));
            Assert.Equal(new DateOnly(2026, 8, 15), Labels.DayOf(at));
        }, TestContext.Current.CancellationToken);
        await Task.Run(() => Assert.Equal("14 Aug 2026, 22:18 UTC", Labels.When(at)), TestContext.Current.CancellationToken);
        await Task.Run(() =>
        {
            Labels.UseZone(TimeZoneInfo.FindSystemTimeZoneById("America/Denver"));
            Assert.Equal("14 Aug 2026, 16:18", Labels.When(at)); // summer time, UTC−6
        }, TestContext.Current.CancellationToken);
    }
}
