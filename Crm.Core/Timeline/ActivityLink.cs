using Crm.Core.Common;

namespace Crm.Core.Timeline;

/// <summary>
/// One more record an activity belongs to, beyond its own contact, account and deal columns: an email with three
/// contacts is one activity with a link per contact, per account and per open deal, on each of their timelines.
/// Exactly one of the three ids is set.
/// </summary>
public sealed class ActivityLink : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long ActivityId { get; set; }
    public Activity? Activity { get; set; }
    public long? ContactId { get; set; }
    public long? AccountId { get; set; }
    public long? DealId { get; set; }
}
