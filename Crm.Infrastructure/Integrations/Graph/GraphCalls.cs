using Crm.Core.Integrations.Calls;
using Microsoft.Graph.Models.ODataErrors;

namespace Crm.Infrastructure.Integrations.Graph;

/// <summary>A delta link Graph no longer knows (410): the folder or calendar is read in full again.</summary>
public sealed class GraphDeltaGoneException(Exception inner) : Exception("Graph no longer knows the delta token.", inner);

/// <summary>Graph's SDK errors as the platform's typed ones (mail and calendars): a 410 on a delta link as <see cref="GraphDeltaGoneException"/> when asked.</summary>
public static class GraphCalls
{
    public static async Task<T?> RunAsync<T>(Func<Task<T?>> call, bool allowGone = false)
    {
        try
        {
            return await call();
        }
        catch (ODataError e) when (allowGone && e.ResponseStatusCode == 410)
        {
            throw new GraphDeltaGoneException(e);
        }
        catch (ODataError e)
        {
            throw new ProviderApiException("Outlook", e.ResponseStatusCode, e.Error?.Code, $"Outlook answered {e.ResponseStatusCode} {e.Error?.Code}: {e.Error?.Message ?? e.Message}");
        }
        catch (Microsoft.Kiota.Abstractions.ApiException e)
        {
            throw new ProviderApiException("Outlook", e.ResponseStatusCode, null, $"Outlook answered {e.ResponseStatusCode}: {e.Message}");
        }
    }
}
