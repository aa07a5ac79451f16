using System.Globalization;
using System.Net;
using Crm.Sandbox.Faults;
using Crm.Sandbox.OAuth;
using Microsoft.Extensions.Options;

namespace Crm.Sandbox.Salesforce;

/// <summary>Configuration section "Sandbox:Salesforce": the connected app and the org it connects to.</summary>
public sealed class SalesforceSandboxOptions : SandboxProviderOptions
{
    public const string Section = "Sandbox:Salesforce";
    public string OrganizationId { get; set; } = "00D5g00000SANDBOX";
    /// <summary>The org's daily API allocation (Enterprise Edition's base, before licences add to it).</summary>
    public int DailyApiRequests { get; set; } = 100_000;

    public SalesforceSandboxOptions()
    {
        ClientId = "3MVG9sandbox.crm.connected.app";
        ClientSecret = "sandbox-salesforce-secret-change-me";
        Account = "admin@sandbox-org.example";
        AccessTokenSeconds = 7200;
    }
}

/// <summary>
/// Salesforce's web server flow at /services/oauth2/authorize, token (answers with instance_url, id, issued_at and
/// signature, no expires_in; a refresh token only with the refresh_token scope; no rotation), revoke and userinfo.
/// The instance URL is the sandbox itself.
/// </summary>
public static class SalesforceSandbox
{
    public static readonly StandardOAuthProfile Profile = new(
        "salesforce", "Salesforce", "#0176d3", "/services/oauth2/authorize", "/services/oauth2/token", "/services/oauth2/revoke",
        sp => sp.GetRequiredService<IOptions<SalesforceSandboxOptions>>().Value,
        RotateRefreshTokens: false, SendsExpiresIn: false,
        AsksOffline: q => q["scope"].ToString().Split(' ') is var s && (s.Contains("refresh_token") || s.Contains("offline_access") || s.Contains("full")),
        AccessPrefix: "00D5g00000SANDBOX!", RefreshPrefix: "5Aep861",
        ExtraTokenFields: (request, grant, o) => new()
        {
            ["instance_url"] = InstanceUrl(request), ["id"] = $"{InstanceUrl(request)}/id/{((SalesforceSandboxOptions)o).OrganizationId}/005{Math.Abs(grant.Account.GetHashCode()) % 1_000_000:D12}",
            ["issued_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), ["signature"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        });

    public static string InstanceUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static void MapSalesforceSandbox(this IEndpointRouteBuilder app)
    {
        app.MapStandardOAuth(Profile);
        app.MapGet("/services/oauth2/userinfo", (HttpRequest request, SandboxTokens tokens, TimeProvider time, IOptions<SalesforceSandboxOptions> options) =>
        {
            if (tokens["salesforce"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is not { } grant)
                return Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: (int)HttpStatusCode.Unauthorized);
            return Results.Json(new
            {
                sub = $"{InstanceUrl(request)}/id/{options.Value.OrganizationId}/005", organization_id = options.Value.OrganizationId,
                preferred_username = grant.Account, email = grant.Account, email_verified = true, name = grant.Account.Split('@')[0],
                urls = new { custom_domain = InstanceUrl(request), rest = InstanceUrl(request) + "/services/data/v{version}/" },
            });
        }).WithMetadata(new SandboxSurface("salesforce", SandboxSurface.Api));

        // GET /services/data/vXX.X/limits: the org's allocations (only what the CRM reads, in Salesforce's shape).
        app.MapGet("/services/data/{version}/limits", (string version, HttpRequest request, SandboxTokens tokens, TimeProvider time, IOptions<SalesforceSandboxOptions> options) =>
        {
            if (tokens["salesforce"].Validate(StandardOAuthServer.BearerOf(request), time.GetUtcNow()) is null)
                return Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: (int)HttpStatusCode.Unauthorized);
            if (!System.Text.RegularExpressions.Regex.IsMatch(version, @"^v\d{2}\.0$"))
                return Results.Json(new[] { new { message = "The requested resource does not exist", errorCode = "NOT_FOUND" } }, statusCode: (int)HttpStatusCode.NotFound);
            var used = Interlocked.Increment(ref _apiRequests);
            var max = options.Value.DailyApiRequests;
            return Results.Json(new
            {
                DailyApiRequests = new { Max = max, Remaining = Math.Max(0, max - used) },
                ConcurrentAsyncGetReportInstances = new { Max = 200, Remaining = 200 },
                DailyBulkApiBatches = new { Max = 15_000, Remaining = 15_000 },
            });
        }).WithMetadata(new SandboxSurface("salesforce", SandboxSurface.Api));
    }

    private static int _apiRequests;
}
