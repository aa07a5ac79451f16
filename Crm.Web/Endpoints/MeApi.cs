using Crm.Core.Dashboard;
using Crm.Core.Users;

namespace Crm.Web.Endpoints;

/// <summary>
/// The caller's own view: the home dashboard and their time zone. An API key is nobody: its dashboard has no deals,
/// tasks or meetings of its own (an admin key still gets the workspace's figures) and it has no time zone.
/// </summary>
public static class MeApi
{
    public sealed record TimeZoneRequest(string? TimeZone);

    public sealed record TimeZoneView(string? TimeZone);

    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/dashboard", async (GetDashboardHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("GetDashboard").WithSummary("The home page: the caller's open deals, tasks due within a week, meetings of the next two weeks and recent activity; for admins the pipeline by stage, forecast, deals won per month, new contacts by source, last imports and exports, duplicates and connections' health");
        me.MapGet("/time-zone", async (GetMyTimeZoneHandler handler, CancellationToken ct) => TypedResults.Ok(new TimeZoneView(await handler.HandleAsync(ct))))
            .WithName("GetMyTimeZone").WithSummary("The time zone dates are shown in for the signed-in person (IANA id; null: not chosen, UTC)");
        me.MapPut("/time-zone", async (TimeZoneRequest request, SetMyTimeZoneHandler handler, CancellationToken ct) =>
                TypedResults.Ok(new TimeZoneView(await handler.HandleAsync(request.TimeZone, ct: ct))))
            .WithName("SetMyTimeZone").WithSummary("Choose the signed-in person's time zone (an IANA id such as Europe/Paris; null goes back to UTC)");
        return api;
    }
}
