using System.Security.Cryptography;
using System.Text;
using Crm.Core.Email;
using Crm.Infrastructure.Email;
using Microsoft.Extensions.Options;

namespace Crm.Web.Endpoints;

/// <summary>
/// Mail for the workspaces' logging addresses, posted by a mail provider's inbound webhook: the raw message
/// (<c>message/rfc822</c>, or a form's <c>email</c> / <c>body-mime</c> field as SendGrid and Mailgun post it), the
/// envelope recipients in <c>to</c> when the provider gives them. The bearer secret (Email:InboundSecret) is the
/// credential; unset, the path answers 404.
/// </summary>
public static class InboundEmailApi
{
    public static WebApplication MapInboundEmail(this WebApplication app)
    {
        app.MapPost("/webhooks/email", async (HttpRequest request, ReceiveLoggedMailHandler receiver, IOptions<EmailOptions> options, CancellationToken ct) =>
        {
            if (options.Value.InboundSecret is not { Length: > 0 } secret) return Problem(StatusCodes.Status404NotFound, "Inbound email is not configured (Email:InboundSecret).");
            if (!Authorized(request.Headers.Authorization.ToString(), secret)) return Problem(StatusCodes.Status401Unauthorized, "The inbound secret is missing or wrong.");
            if (request.ContentLength > EmailLimits.RawMessageBytes) return TooLarge();

            // A raw message posted as a form field may be as large as a message (the form reader stops at 4 MB by default).
            if (request.HasFormContentType)
                request.HttpContext.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(new Microsoft.AspNetCore.Http.Features.FormFeature(request,
                    new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = EmailLimits.RawMessageBytes, MultipartBodyLengthLimit = EmailLimits.RawMessageBytes + 1024 * 1024 }));
            MemoryStream? raw;
            IEnumerable<string?> formRecipients = [];
            try
            {
                raw = await ReadMessageAsync(request, ct);
                if (request.HasFormContentType) formRecipients = (await request.ReadFormAsync(ct))["recipient"];
            }
            catch (InvalidDataException)
            {
                // A form field or part over the form reader's limits.
                return TooLarge();
            }
            await using var _ = raw;
            if (raw is null) return TooLarge();
            if (raw.Length == 0) return Problem(StatusCodes.Status400BadRequest, "No message: post the raw MIME as the body, or as a form's \"email\" or \"body-mime\" field.");
            var recipients = request.Query["to"].Concat(formRecipients).OfType<string>()
                .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Take(EmailLimits.Recipients).ToList();
            var result = await receiver.HandleAsync(raw, recipients, ct);
            return result.Outcome switch
            {
                InboundMailOutcome.Logged or InboundMailOutcome.Skipped =>
                    Results.Ok(new { outcome = result.Outcome.ToString().ToLowerInvariant(), message = result.Message, activityId = result.ActivityId }),
                InboundMailOutcome.Refused => Problem(StatusCodes.Status403Forbidden, result.Message),
                InboundMailOutcome.NotForUs => Problem(StatusCodes.Status404NotFound, result.Message),
                _ => Problem(StatusCodes.Status422UnprocessableEntity, result.Message),
            };
        }).AllowAnonymous().DisableAntiforgery().WithTags("Webhooks").WithName("InboundEmail")
          .WithSummary("Raw MIME for a logging address (BCC or forward), from a mail provider's inbound webhook; bearer secret required");
        return app;
    }

    private static bool Authorized(string header, string secret)
    {
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return false;
        var given = Encoding.UTF8.GetBytes(header[bearer.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>The message, read no further than <see cref="EmailLimits.RawMessageBytes"/>; null when it is larger.</summary>
    private static async Task<MemoryStream?> ReadMessageAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var field = form["email"].FirstOrDefault() ?? form["body-mime"].FirstOrDefault();
            if (field is not null) return field.Length > EmailLimits.RawMessageBytes ? null : new MemoryStream(Encoding.UTF8.GetBytes(field), writable: false);
            var file = form.Files.GetFile("email") ?? form.Files.GetFile("message");
            if (file is null) return new MemoryStream();
            if (file.Length > EmailLimits.RawMessageBytes) return null;
            return await CopyAsync(file.OpenReadStream(), ct);
        }
        return await CopyAsync(request.Body, ct);
    }

    private static async Task<MemoryStream?> CopyAsync(Stream source, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > EmailLimits.RawMessageBytes)
            {
                await buffer.DisposeAsync();
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static IResult TooLarge() => Problem(StatusCodes.Status413PayloadTooLarge, $"A message is at most {EmailLimits.RawMessageBytes / 1024 / 1024} MB.");

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
