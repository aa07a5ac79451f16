using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>A logged email's attachment as the timeline lists it.</summary>
public sealed record EmailAttachmentInfo(long Id, long ActivityId, string FileName, long Size, bool Kept);

public sealed record EmailAttachmentFile(string FileName, string ContentType, byte[] Content);

/// <summary>
/// An attachment's content, for people who may read its email's body (the same rule; a private body's attachments are
/// private too). Another workspace's, a hidden one and one too large to have been kept all answer "not found".
/// </summary>
public sealed class GetEmailAttachmentHandler(ICrmDbFactory dbFactory)
{
    public async Task<EmailAttachmentFile> HandleAsync(long activityId, long attachmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var email = await db.Activities.AsNoTracking().OfType<EmailActivity>().FirstOrDefaultAsync(a => a.Id == activityId, ct)
                    ?? throw new NotFoundException("Email", activityId);
        if (!(await EmailBodyAccess.ForAsync(db, ct)).CanRead(email)) throw new NotFoundException("Attachment", attachmentId);
        var file = await db.EmailAttachments.AsNoTracking().Where(a => a.Id == attachmentId && a.ActivityId == activityId)
                       .Select(a => new { a.FileName, a.ContentType, a.Content }).FirstOrDefaultAsync(ct)
                   ?? throw new NotFoundException("Attachment", attachmentId);
        if (file.Content is null) throw new NotFoundException("Attachment", attachmentId);
        return new EmailAttachmentFile(file.FileName, file.ContentType, file.Content);
    }

    /// <summary>The attachments of the emails on a timeline page (names and sizes; no content).</summary>
    public static async Task<ILookup<long, EmailAttachmentInfo>> ListAsync(ICrmDb db, IReadOnlyCollection<long> activityIds, CancellationToken ct)
    {
        if (activityIds.Count == 0) return Array.Empty<EmailAttachmentInfo>().ToLookup(a => a.ActivityId);
        var rows = await db.EmailAttachments.AsNoTracking().Where(a => activityIds.Contains(a.ActivityId))
            .Select(a => new EmailAttachmentInfo(a.Id, a.ActivityId, a.FileName, a.Size, a.Content != null)).ToListAsync(ct);
        return rows.ToLookup(a => a.ActivityId);
    }
}
