using Crm.Infrastructure.Integrations.Calls;

namespace Crm.Tests.Infrastructure.Integrations;

/// <summary>
/// A provider's requests-per-window budget as a token bucket (<see cref="ConnectionBudgets.Spaced"/>): callers that
/// always want more get their grants evenly spaced, a long window lets a few go at once, and no window of the
/// provider's length — wherever it starts — ever holds more than the provider allows.
/// </summary>
public class ConnectionBudgetsTests
{
    /// <summary>The grant times of callers that always want more: the bucket's tokens at once, then one per refill.</summary>
    private static List<double> Grants(System.Threading.RateLimiting.TokenBucketRateLimiterOptions options, double seconds)
    {
        var period = options.ReplenishmentPeriod.TotalSeconds;
        var grants = Enumerable.Repeat(0.0, options.TokenLimit).ToList();
        for (var k = 1; k * period <= seconds; k++) grants.Add(k * period);
        return grants;
    }

    /// <summary>The most grants any window of <paramref name="window"/> seconds holds (both ends counted: a bound on any provider's).</summary>
    private static int Busiest(List<double> grants, double window)
    {
        var most = 0;
        for (int first = 0, last = 0; first < grants.Count; first++)
        {
            while (last < grants.Count && grants[last] <= grants[first] + window + 1e-9) last++;
            most = Math.Max(most, last - first);
        }
        return most;
    }

    [Theory]
    [InlineData(600, 60, 582)]   // Google Calendar: 600 a minute per user
    [InlineData(100, 10, 97)]    // HubSpot: 100 per 10 seconds
    [InlineData(190, 10, 184)]   // HubSpot Professional: 190 per 10 seconds
    [InlineData(5, 1, 4)]        // HubSpot's searches: 5 a second
    [InlineData(20, 2, 19)]
    public void NoWindow_EverHoldsMoreThanTheProviderAllows(int limit, double window, int most)
    {
        var grants = Grants(ConnectionBudgets.Spaced(limit, window, 0.97), window * 5);

        Assert.Equal(most, Busiest(grants, window));
        Assert.True(most <= limit * 0.97);
    }

    [Fact]
    public void GoogleCalendarsMinute_LetsFiveGoAtOnce_ThenOneAbout104MillisecondsApart()
    {
        var options = ConnectionBudgets.Spaced(600, 60, 0.97);

        Assert.Equal(5, options.TokenLimit);
        Assert.Equal(1, options.TokensPerPeriod);
        Assert.Equal(60.0 / 577, options.ReplenishmentPeriod.TotalSeconds, 4);
        // Used evenly over a long sync: close to the 9.7 a second the safety share allows.
        Assert.InRange(Grants(options, 600).Count / 600.0, 9.55, 9.7);
    }

    [Fact]
    public void AShortWindow_GrantsOneAtATime()
    {
        var options = ConnectionBudgets.Spaced(100, 10, 0.97);

        Assert.Equal(1, options.TokenLimit);
        Assert.Equal(10.0 / 96, options.ReplenishmentPeriod.TotalSeconds, 4);
    }
}
