using System.Security.Cryptography;

namespace Crm.Sandbox.Google;

/// <summary>One stored Gmail message: the raw RFC 5322 bytes Gmail keeps, its labels, thread and history id.</summary>
public sealed record GmailStoredMessage(string Id, string ThreadId, HashSet<string> Labels, byte[] Raw, DateTimeOffset InternalDate, ulong HistoryId);

/// <summary>A change as history.list reports it.</summary>
public sealed record GmailHistoryRecord(ulong Id, string Type, string MessageId, string ThreadId, IReadOnlyList<string> Labels);

/// <summary>
/// One account's mailbox: messages newest first, a history log with increasing ids, the oldest history id still kept
/// (older start ids get a 404, as Gmail's do after about a week), and the per-user quota bucket.
/// </summary>
public sealed class GmailMailbox(string address)
{
    public static readonly string[] SystemLabels = ["INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "IMPORTANT", "STARRED", "UNREAD", "CHAT"];

    private readonly object _gate = new();
    private readonly List<GmailStoredMessage> _messages = [];
    private readonly List<GmailHistoryRecord> _history = [];
    private readonly Dictionary<string, string> _threadsByMessageId = [];
    private ulong _historyId = 1000;
    private double _units = GmailSandbox.QuotaUnitsPerSecond;
    private DateTimeOffset _refilled = DateTimeOffset.MinValue;
    private long _unitsSpent, _refused;

    public string Address { get; } = address;
    public ulong HistoryFloor { get; private set; } = 1;
    public ulong HistoryId { get { lock (_gate) return _historyId; } }
    public int Count { get { lock (_gate) return _messages.Count; } }
    public int ThreadCount { get { lock (_gate) return _messages.Select(m => m.ThreadId).Distinct().Count(); } }

    public GmailStoredMessage Add(byte[] raw, IEnumerable<string> labels, DateTimeOffset internalDate, string? threadId)
    {
        lock (_gate)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            threadId ??= ThreadOf(raw) ?? id;
            var message = new GmailStoredMessage(id, threadId, labels.ToHashSet(), raw, internalDate, ++_historyId);
            _messages.Add(message);
            _history.Add(new GmailHistoryRecord(_historyId, "messageAdded", id, threadId, [.. message.Labels]));
            if (MessageIdOf(raw) is { } messageId) _threadsByMessageId[messageId] = threadId;
            return message;
        }
    }

    public bool Delete(string id)
    {
        lock (_gate)
        {
            var message = _messages.FirstOrDefault(m => m.Id == id);
            if (message is null) return false;
            _messages.Remove(message);
            _history.Add(new GmailHistoryRecord(++_historyId, "messageDeleted", id, message.ThreadId, [.. message.Labels]));
            return true;
        }
    }

    /// <summary>Forgets the history so far: a client holding an older id must sync in full again.</summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            HistoryFloor = _historyId + 1;
            _history.Clear();
        }
    }

    public GmailStoredMessage? Find(string id)
    {
        lock (_gate) return _messages.FirstOrDefault(m => m.Id == id);
    }

    public List<GmailStoredMessage> Newest()
    {
        lock (_gate) return _messages.OrderByDescending(m => m.InternalDate).ThenByDescending(m => m.HistoryId).ToList();
    }

    public List<GmailHistoryRecord> HistoryAfter(ulong start)
    {
        lock (_gate) return _history.Where(h => h.Id > start).ToList();
    }

    /// <summary>Takes quota units from a bucket that refills at Gmail's per-user rate; false when they are not there.</summary>
    public bool Spend(int units, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_refilled != DateTimeOffset.MinValue)
                _units = Math.Min(GmailSandbox.QuotaUnitsPerSecond, _units + (now - _refilled).TotalSeconds * GmailSandbox.QuotaUnitsPerSecond);
            _refilled = now;
            if (_units < units)
            {
                _refused++;
                return false;
            }
            _units -= units;
            _unitsSpent += units;
            return true;
        }
    }

    public object Stats()
    {
        lock (_gate) return new { messages = _messages.Count, historyId = _historyId, historyFloor = HistoryFloor, unitsSpent = _unitsSpent, refusedForQuota = _refused };
    }

    /// <summary>Gmail threads a reply with what it answers (In-Reply-To / References naming a message it holds).</summary>
    private string? ThreadOf(byte[] raw)
    {
        var headers = HeaderBlock(raw);
        foreach (var name in new[] { "In-Reply-To", "References" })
            foreach (var id in Header(headers, name)?.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries) ?? [])
                if (_threadsByMessageId.TryGetValue(id.Trim('<', '>'), out var thread)) return thread;
        return null;
    }

    private static string? MessageIdOf(byte[] raw) => Header(HeaderBlock(raw), "Message-ID")?.Trim().Trim('<', '>');

    private static string HeaderBlock(byte[] raw)
    {
        var text = System.Text.Encoding.UTF8.GetString(raw, 0, Math.Min(raw.Length, 64 * 1024)).Replace("\r\n", "\n");
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        // Folded lines joined.
        return (end < 0 ? text : text[..end]).Replace("\n ", " ").Replace("\n\t", " ");
    }

    private static string? Header(string block, string name) =>
        block.Split('\n').FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)) is { } line ? line[(name.Length + 1)..].Trim() : null;
}
