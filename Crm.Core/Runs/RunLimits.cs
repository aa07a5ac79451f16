namespace Crm.Core.Runs;

/// <summary>The run model's limits.</summary>
public static class RunLimits
{
    /// <summary>How long a runner may be silent before it is thought dead and its run is taken over.</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>Errors in a row after which a run waits for a person (see <see cref="IRunService.RetryAsync"/>).</summary>
    public const int MaxFailures = 5;

    public const int MaxError = 2000;
}
