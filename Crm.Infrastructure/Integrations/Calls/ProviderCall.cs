using Crm.Core.Integrations.Tokens;

namespace Crm.Infrastructure.Integrations.Calls;

/// <summary>
/// What a request to a provider carries for the handlers in front of it: the connection it is made for (its token,
/// its budget, its usage), whether it is a search (HubSpot's own 5/s limit), its quota cost (Gmail units) and whether
/// it may be sent again after a 5xx (GETs always; a write only when it is idempotent).
/// </summary>
public static class ProviderCall
{
    public static readonly HttpRequestOptionsKey<ConnectionRef> Connection = new("crm.connection");
    public static readonly HttpRequestOptionsKey<string?> Tier = new("crm.tier");
    public static readonly HttpRequestOptionsKey<bool> Search = new("crm.search");
    public static readonly HttpRequestOptionsKey<int> Units = new("crm.units");
    public static readonly HttpRequestOptionsKey<bool> Idempotent = new("crm.idempotent");

    public static HttpRequestMessage For(this HttpRequestMessage request, ConnectionRef connection, string? tier = null, bool search = false, int units = 1, bool idempotent = false)
    {
        request.Options.Set(Connection, connection);
        request.Options.Set(Tier, tier);
        request.Options.Set(Search, search);
        request.Options.Set(Units, units);
        request.Options.Set(Idempotent, idempotent);
        return request;
    }

    public static ConnectionRef ConnectionOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Connection, out var connection)
            ? connection
            : throw new InvalidOperationException("A provider request must name its connection (ProviderCall.For).");
}
