using Crm.Core.Common;
using MudBlazor;

namespace Crm.Web.Components.Shared;

/// <summary>Runs a UI action and turns the use cases' refusals into messages people understand.</summary>
public static class Feedback
{
    public static async Task<bool> TryAsync(this ISnackbar snackbar, Func<Task> action, string? success = null)
    {
        try
        {
            await action();
            if (success is not null) snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (Exception e) when (Message(e) is { } message)
        {
            snackbar.Add(message, Severity.Error);
            return false;
        }
    }

    public static string? Message(Exception e) => e switch
    {
        NotFoundException => "That record no longer exists; it may have been deleted by someone else.",
        ConcurrencyConflictException => "Someone else changed this record in the meantime. Reload it to see their change, then try again.",
        ForbiddenException f => f.Message,
        ConflictException c => c.Message,
        ValidationFailedException v => string.Join(" ", v.Errors.SelectMany(x => x.Value)),
        _ => null,
    };
}
