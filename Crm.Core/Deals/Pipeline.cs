using Crm.Core.Common;

namespace Crm.Core.Deals;

public sealed class Pipeline : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public bool IsDefault { get; set; }
    public List<PipelineStage> Stages { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A column of the board. Probability (0–100) is the default for deals entering the stage.</summary>
public sealed class PipelineStage : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long PipelineId { get; set; }
    public string Name { get; set; } = "";
    public int Order { get; set; }
    public int Probability { get; set; }
    public bool IsWon { get; set; }
    public bool IsLost { get; set; }
    public bool IsClosed => IsWon || IsLost;
}
