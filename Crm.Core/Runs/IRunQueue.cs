namespace Crm.Core.Runs;

/// <summary>Hands a queued run to a worker (Quartz in the app): now, or at the run's <see cref="Run.NotBefore"/>.</summary>
public interface IRunQueue
{
    Task EnqueueAsync(Run run, CancellationToken ct = default);
}
