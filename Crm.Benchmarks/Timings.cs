using System.Diagnostics;

namespace Crm.Benchmarks;

/// <summary>How the query benchmarks time a call: warm-up runs first, then each run in milliseconds, read as percentiles.</summary>
public static class Timings
{
    public static async Task<List<double>> MeasureAsync(int repeat, Func<Task> run, int warmUps = 2)
    {
        for (var i = 0; i < warmUps; i++) await run();
        var timings = new List<double>(repeat);
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            timings.Add(clock.Elapsed.TotalMilliseconds);
        }
        return timings;
    }

    public static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
