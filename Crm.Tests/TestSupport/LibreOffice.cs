using System.Diagnostics;
using System.Globalization;
using CsvHelper;

namespace Crm.Tests.TestSupport;

/// <summary>Real spreadsheet software: Debian's LibreOffice Calc, headless (scripts/test.sh installs it).</summary>
public static class LibreOffice
{
    /// <summary>LibreOffice (headless) reads the file and writes it as UTF-8 CSV; the result parsed back into rows.</summary>
    public static async Task<List<string[]>> ConvertToCsvAsync(string input, string directory)
    {
        var soffice = new[] { "/usr/bin/soffice", "/usr/bin/libreoffice" }.FirstOrDefault(File.Exists)
                      ?? throw new InvalidOperationException("LibreOffice is not installed (apt-get install libreoffice-calc-nogui); scripts/test.sh installs it.");
        var outDir = Path.Combine(directory, "out");
        var info = new ProcessStartInfo(soffice)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // Dates and numbers in its CSV follow the locale it runs in: a fixed one, whatever the machine's is.
        info.Environment["LC_ALL"] = "C.UTF-8";
        info.Environment["LANG"] = "C.UTF-8";
        // Its own profile, so parallel runs do not share one; CSV in and out as UTF-8 with commas and quotes.
        foreach (var arg in new[] { $"-env:UserInstallation=file://{Path.Combine(directory, "profile")}", "--headless", "--norestore",
                     "--infilter=CSV:44,34,76,1,,0,false,true", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false", "--outdir", outDir, input })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var converted = Path.Combine(outDir, Path.GetFileNameWithoutExtension(input) + ".csv");
        Assert.True(File.Exists(converted), $"LibreOffice did not convert {input}: {output}");
        var rows = new List<string[]>();
        using var csv = CsvReader.Create(File.OpenRead(converted), new CsvReaderOptions { HasHeader = false, Separator = ',', FormatProvider = CultureInfo.InvariantCulture });
        while (csv.Read()) rows.Add(csv.Current.ToArray().Select(v => v ?? "").ToArray());
        return rows;
    }
}
