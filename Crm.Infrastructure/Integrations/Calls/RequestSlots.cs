namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// Requests a provider counts as "at once" (Exchange: 4 per mailbox) hold one of the caller's slots only while they are
/// on the wire: from sending to the answer read into memory. The token lookup before and the parsing after happen
/// outside it, so the next request can have the slot meanwhile. Closest to the wire: a retry or a resend after a token
/// refresh takes a slot again. Callers that share slots name them around their calls (<see cref="Use"/>).
/// </summary>
public sealed class RequestSlots : DelegatingHandler
{
    /// <summary>An answer larger than this is refused rather than held in memory.</summary>
    public const long MaxAnswerBytes = 64L * 1024 * 1024;

    private static readonly AmbientValue<SemaphoreSlim> Ambient = new();

    /// <summary>Requests started until the returned scope is disposed share <paramref name="slots"/>.</summary>
    public static IDisposable Use(SemaphoreSlim slots) => Ambient.Use(slots);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (Ambient.Value is not { } slots) return await base.SendAsync(request, ct);
        await slots.WaitAsync(ct);
        try
        {
            var response = await base.SendAsync(request, ct);
            try
            {
                await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, ct);
            }
            catch
            {
                response.Dispose();
                throw;
            }
            return response;
        }
        finally
        {
            slots.Release();
        }
    }
}
