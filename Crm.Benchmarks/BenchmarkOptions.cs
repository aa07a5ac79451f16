using System.Globalization;

namespace Crm.Benchmarks;

public sealed record BenchmarkOptions(int Rows, int Repeat, string? WorkDirectory, bool PrepareOnly = false, string Format = "csv", int Events = 100_000, int Seconds = 60,
    int Contacts = 100_000, int Companies = 10_000, int Deals = 20_000, int Changes = 100, int Pairs = 1_000_000, int Messages = 10_000,
    int GraphBaseMs = 100, int GraphPerMessageMs = 10, string? Only = null, int Calendars = 5)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchmarkOptions(
            int.Parse(Value("--rows") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Value("--repeat") ?? "30", CultureInfo.InvariantCulture),
            Value("--dir"),
            args.Contains("--prepare-only"),
            Value("--format") ?? "csv",
            int.Parse(Value("--events") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Value("--seconds") ?? "60", CultureInfo.InvariantCulture),
            int.Parse(Value("--contacts") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Value("--companies") ?? "10000", CultureInfo.InvariantCulture),
            int.Parse(Value("--deals") ?? "20000", CultureInfo.InvariantCulture),
            int.Parse(Value("--changes") ?? "100", CultureInfo.InvariantCulture),
            int.Parse(Value("--pairs") ?? "1000000", CultureInfo.InvariantCulture),
            int.Parse(Value("--messages") ?? "10000", CultureInfo.InvariantCulture),
            int.Parse(Value("--graph-base-ms") ?? "100", CultureInfo.InvariantCulture),
            int.Parse(Value("--graph-per-message-ms") ?? "10", CultureInfo.InvariantCulture),
            Value("--only"),
            int.Parse(Value("--calendars") ?? "5", CultureInfo.InvariantCulture));
    }
}
