namespace Crm.Core.Runs;

/// <summary>The work of one <see cref="RunKind"/>. It claims the run, beats while it works, and finishes or releases it.</summary>
public interface IRunHandler
{
    Task ExecuteAsync(Run run, CancellationToken ct);
}
