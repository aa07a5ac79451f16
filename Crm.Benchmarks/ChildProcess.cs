using System.Diagnostics;
using System.Text.Json;

namespace Crm.Benchmarks;

/// <summary>
/// Runs one measured step in a fresh process of this program, so its peak working set is that step's alone: its
/// output is echoed indented, and its last line (one JSON object) is its result.
/// </summary>
public static class ChildProcess
{
    /// <summary>The value after <paramref name="name"/> in a child's arguments ("--dir D" → D).</summary>
    public static string Argument(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"The child process needs {name}.");

    public static async Task<Dictionary<string, object>> RunAsync(string what, params string[] arguments)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string? last = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            Console.WriteLine("  " + line);
            last = line;
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || last is null) throw new InvalidOperationException($"The {what} child process failed.");
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(last)!.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
    }
}
