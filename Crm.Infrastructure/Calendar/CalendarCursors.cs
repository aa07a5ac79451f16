using System.Text.Json;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Calendar;

/// <summary>
/// Each calendar's cursor of one connection, kept as one JSON object, for calendars read side by side: a calendar's new
/// cursor and the run's totals are saved together, one save at a time, so a later save never carries an older picture.
/// </summary>
public sealed class CalendarCursors<T>(IConnectionStatus status, ConnectionRef connection, string objectType, string? saved) where T : class
{
    private readonly Dictionary<string, T> _cursors = saved is null ? [] : JsonSerializer.Deserialize<Dictionary<string, T>>(saved) ?? [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SyncTotals _totals = new();

    public SyncTotals Totals => _totals;

    public T? Get(string calendarId)
    {
        lock (_cursors) return _cursors.GetValueOrDefault(calendarId);
    }

    /// <summary>A calendar finished: its figures join the run's.</summary>
    public void Add(SyncTotals done)
    {
        lock (_cursors) _totals += done;
    }

    public async Task SaveAsync(string calendarId, T cursor, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            string json;
            SyncTotals totals;
            lock (_cursors)
            {
                _cursors[calendarId] = cursor;
                json = JsonSerializer.Serialize(_cursors);
                totals = _totals;
            }
            await status.SaveProgressAsync(connection, objectType, json, totals.ReadIn, totals.WrittenIn, ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}
