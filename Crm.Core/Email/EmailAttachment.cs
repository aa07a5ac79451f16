using Crm.Core.Common;

namespace Crm.Core.Email;

/// <summary>
/// A logged email's attachment: listed by name and size; its content kept (up to <see cref="EmailLimits.AttachmentBytes"/>)
/// and served only to people who may read that email's body.
/// </summary>
public sealed class EmailAttachment : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long ActivityId { get; set; }
    public Timeline.EmailActivity? Activity { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    public long Size { get; set; }
    /// <summary>Null when the attachment was larger than the limit: listed, not kept.</summary>
    public byte[]? Content { get; set; }
}
