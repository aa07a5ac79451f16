using Crm.Core.Common;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>
/// Who reads a logged email's body and attachments: everyone in the workspace when it shares bodies (the default);
/// otherwise only the users whose mailbox (or logging address) had the message — and background work. Everyone sees
/// the subject and participants.
/// </summary>
public sealed class EmailBodyAccess
{
    private readonly bool _shared;
    private readonly long? _viewer;
    private readonly bool _background;
    private readonly Actor _actor;

    private EmailBodyAccess(bool shared, Actor actor)
    {
        _actor = actor;
        _shared = shared;
        _viewer = actor.UserId;
        // Jobs read everything; an API key is nobody's mailbox, so it reads private bodies no more than a teammate.
        _background = actor.UserId is null && actor.Source != ChangeSource.Api;
    }

    public static async Task<EmailBodyAccess> ForAsync(ICrmDb db, CancellationToken ct)
    {
        var shared = await db.EmailSettings.AsNoTracking().Select(s => (bool?)s.TeammatesSeeBodies).FirstOrDefaultAsync(ct) ?? true;
        return new EmailBodyAccess(shared, db.Actor);
    }

    public bool CanRead(EmailActivity email) => _shared || _background || (_viewer is { } viewer && (email.MailboxUserIds.Contains(viewer) || email.OwnerId == viewer));

    /// <summary>The activity as this viewer may see it (an untracked copy's email body blanked when it is not theirs to read).</summary>
    public Activity Shown(Activity activity)
    {
        if (activity is EmailActivity email && !CanRead(email)) Hide(email);
        // A meeting private in its calendar: that it took place, not what it was about.
        if (activity is MeetingActivity meeting && !Calendar.MeetingAccess.CanSee(_actor, meeting))
        {
            meeting.Title = "Private meeting";
            (meeting.Description, meeting.Location, meeting.MeetingUrl, meeting.Notes) = (null, null, null, null);
        }
        return activity;
    }

    /// <summary>Blanks the body of an untracked copy about to be shown; true, for use in a projection.</summary>
    public bool Hide(EmailActivity email)
    {
        email.Body = null;
        email.HtmlBody = null;
        return true;
    }
}
