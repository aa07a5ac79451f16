namespace Crm.Core.Runs;

/// <summary>The run was taken over by another runner (this one was thought dead): this one must stop writing.</summary>
public sealed class RunTakenOverException(long runId) : Exception($"Run {runId} is now worked by another runner.");
