using System.Security.Claims;
using Crm.Infrastructure.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Crm.Web.Auth;

/// <summary>
/// A person in several workspaces moves between them, and answers invitations, as the person they signed in as:
/// always by the email their session proved, never by anything the form says about who they are. Form posts with
/// antiforgery tokens (the /account/workspaces page).
/// </summary>
public static class WorkspaceEndpoints
{
    public static IEndpointRouteBuilder MapWorkspaceEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();

        account.MapPost("/switch", async (HttpContext context, Memberships memberships, IAntiforgery antiforgery) =>
        {
            if (await ReadFormAsync(context, antiforgery) is not { } form) return Results.Redirect("/account/workspaces?error=expired");
            var workspaceId = long.TryParse(form["workspaceId"], out var id) ? id : 0;
            var email = context.User.FindFirstValue(ClaimTypes.Email);
            var target = email is null ? null : (await memberships.FindByEmailAsync(email, context.RequestAborted))
                .FirstOrDefault(m => m.WorkspaceId == workspaceId && m.CanSignIn);
            if (target is null) return Results.Redirect("/account/workspaces?error=not-a-member");
            await memberships.RecordSignInAsync(target, context.RequestAborted);
            await context.SignInAsync(CrmClaims.CookieScheme, CrmClaims.ForMember(target,
                context.User.FindFirstValue(CrmClaims.SignInMethod) ?? "password",
                await memberships.SecurityStampAsync(target.Email, context.RequestAborted), CrmClaims.NewSessionId()));
            return Results.Redirect("/");
        }).DisableAntiforgery();

        account.MapPost("/invitations", async (HttpContext context, Memberships memberships, IAntiforgery antiforgery) =>
        {
            if (await ReadFormAsync(context, antiforgery) is not { } form) return Results.Redirect("/account/workspaces?error=expired");
            var workspaceId = long.TryParse(form["workspaceId"], out var id) ? id : 0;
            var answer = form["answer"].ToString();
            if (answer is not ("accept" or "decline")) return Results.Redirect("/account/workspaces?error=no-invitation");
            var email = context.User.FindFirstValue(ClaimTypes.Email);
            var answered = email is not null && await memberships.AnswerInvitationAsync(email, workspaceId, answer == "accept", context.RequestAborted);
            return Results.Redirect(answered ? $"/account/workspaces?{answer}ed={workspaceId}" : "/account/workspaces?error=no-invitation");
        }).DisableAntiforgery();
        return app;
    }

    /// <summary>The form, when it carries this session's antiforgery token (its own validation, so a stale page is a message, not an error).</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context)) return null;
        return await context.Request.ReadFormAsync(context.RequestAborted);
    }
}
