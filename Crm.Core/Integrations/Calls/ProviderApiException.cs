namespace Crm.Core.Integrations.Calls;

/// <summary>
/// A provider's API refused or failed a call after the retries: its status and its own error name. The sync maps it
/// to an action: <see cref="Transient"/> waits and tries again; anything else is the record's or the mapping's problem.
/// </summary>
public sealed class ProviderApiException(string provider, int statusCode, string? code, string message) : Exception(message)
{
    public string Provider { get; } = provider;
    public int StatusCode { get; } = statusCode;
    public string? Code { get; } = code;
    public bool Transient => StatusCode is 0 or 408 or 429 or >= 500;
}

/// <summary>One cheap, real call that proves a connection works and names its account (the provider's "who am I").</summary>
public interface IConnectionProbe
{
    Task<OAuth.ConnectedAccount> ProbeAsync(Tokens.ConnectionRef connection, CancellationToken ct);
}
