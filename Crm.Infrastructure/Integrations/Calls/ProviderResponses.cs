using System.Net.Http.Json;
using System.Text.Json;
using Crm.Core.Integrations.Calls;

namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>Reads a provider API's answer: the body, or its error (HubSpot's <c>category</c>/<c>message</c>, Graph's and Google's <c>error</c>) as a typed exception.</summary>
public static class ProviderResponses
{
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, string provider, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(ct) ?? throw new ProviderApiException(provider, (int)response.StatusCode, null, $"{provider} answered with an empty body.");
            }
            catch (JsonException)
            {
                throw new ProviderApiException(provider, (int)response.StatusCode, null, $"{provider} answered with something that is not the JSON expected.");
            }
        }
        string? code = null, message = null;
        try
        {
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    // Graph and Google: { "error": { "code", "message" } }; OAuth style: { "error": "..." }.
                    if (error.ValueKind == JsonValueKind.Object)
                    {
                        code = error.TryGetProperty("code", out var c) ? c.ToString() : null;
                        message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                    }
                    else code = error.GetString();
                }
                code ??= root.TryGetProperty("category", out var category) ? category.GetString() : root.TryGetProperty("errorCode", out var ec) ? ec.GetString() : null;
                message ??= root.TryGetProperty("message", out var text) ? text.GetString() : null;
            }
            else if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 && root[0].ValueKind == JsonValueKind.Object)
            {
                // Salesforce: [ { "message", "errorCode" } ].
                code = root[0].TryGetProperty("errorCode", out var c) ? c.GetString() : null;
                message = root[0].TryGetProperty("message", out var m) ? m.GetString() : null;
            }
        }
        catch (JsonException) { }
        if (message is { Length: > 300 }) message = message[..300] + "…";
        throw new ProviderApiException(provider, (int)response.StatusCode, code, $"{provider} answered {(int)response.StatusCode}{(code is null ? "" : " " + code)}: {message ?? "no details"}");
    }

    /// <summary>Sends through the pipeline; what the retries could not get through becomes a transient <see cref="ProviderApiException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string provider, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new ProviderApiException(provider, 0, e.HttpRequestError.ToString(), $"{provider} could not be reached ({e.HttpRequestError}).");
        }
        catch (Exception e) when (e is Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ProviderApiException(provider, 0, "timeout", $"{provider} did not answer in time.");
        }
    }
}
