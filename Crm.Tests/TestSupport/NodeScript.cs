using System.Diagnostics;

namespace Crm.Tests.TestSupport;

/// <summary>Runs a Node.js program of the repository (an official client's contract check, an integration's tests) to its end.</summary>
public static class NodeScript
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(string directory, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var info = new ProcessStartInfo("node", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var node = Process.Start(info)!;
        var output = node.StandardOutput.ReadToEndAsync(ct);
        var errors = node.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await node.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(node.ExitCode, await output, await errors);
    }
}
