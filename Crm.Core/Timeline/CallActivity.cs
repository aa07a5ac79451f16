namespace Crm.Core.Timeline;

public enum ActivityDirection
{
    Outbound = 0,
    Inbound = 1,
}

public enum CallOutcome
{
    Connected = 0,
    NoAnswer = 1,
    LeftVoicemail = 2,
    Busy = 3,
    WrongNumber = 4,
}

public sealed class CallActivity : Activity
{
    public override ActivityType Type => ActivityType.Call;
    public ActivityDirection Direction { get; set; }
    public CallOutcome Outcome { get; set; }
    public int? DurationSeconds { get; set; }
    public string? PhoneNumber { get; set; }
    public string? Notes { get; set; }
}
