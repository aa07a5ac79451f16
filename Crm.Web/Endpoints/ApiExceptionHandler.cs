using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Core.Common;
using Crm.Web.Auth;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Web.Endpoints;

/// <summary>
/// Turns every failure of an API call into an RFC 9457 problem: refused input is a 400 with field-level messages
/// (bad JSON and wrong types included), unknown or foreign records a 404, stale versions a 412. Nothing leaks
/// into a 500 but a trace id.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!ApiProblems.IsApi(context.Request)) return false;
        var problem = ForDomain(exception) ?? (exception is BadHttpRequestException b ? BadRequest(b) : Unexpected(exception));
        context.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The problem for a use case's refusal, or null when the exception is not one.</summary>
    public static ProblemDetails? ForDomain(Exception exception) => exception switch
    {
        ValidationFailedException v => Validation(v.Errors.ToDictionary(e => JsonField(e.Key), e => e.Value)),
        NotFoundException n => new ProblemDetails { Status = 404, Title = "Not found", Detail = n.Message },
        ConcurrencyConflictException c => new ProblemDetails { Status = 412, Title = "The record has changed", Detail = c.Message },
        ForbiddenException f => new ProblemDetails { Status = 403, Title = "Forbidden", Detail = f.Message },
        ConflictException c => new ProblemDetails { Status = 409, Title = "Conflict", Detail = c.Message },
        Crm.Core.Duplicates.RecordMergedException m => new ProblemDetails { Status = 404, Title = "Merged", Detail = $"{m.Message} Use /api/v1/{(m.What == "Account" ? "accounts" : "contacts")}/{m.WinnerId}." },
        Crm.Core.Exports.ExportGoneException g => new ProblemDetails { Status = 410, Title = "Gone", Detail = g.Message },
        Crm.Core.Exports.ExportNotReadyException r => new ProblemDetails { Status = 409, Title = "Not ready", Detail = r.Message },
        _ => null,
    };

    private ProblemDetails Unexpected(Exception exception)
    {
        LogUnexpected(exception);
        return new ProblemDetails { Status = 500, Title = "Unexpected error", Detail = "Something went wrong on our side. The error has been logged; quote the trace id when reporting it." };
    }

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json)
        {
            var field = JsonPathField(json.Path);
            var message = json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)
                ? $"'{field}' is not a field of this object."
                : json.Path is null or "$"
                    ? "The body is not valid JSON."
                    : $"'{field}' has a value of the wrong type or format.";
            return Validation(new Dictionary<string, string[]> { [field] = [message] }, "The request body could not be read.");
        }
        var parameter = ParameterName().Match(exception.Message);
        if (parameter.Success)
        {
            var name = JsonField(parameter.Groups["name"].Value);
            return Validation(new Dictionary<string, string[]> { [name] = [$"'{parameter.Groups["value"].Value}' is not a valid value for {name}."] });
        }
        return new ProblemDetails { Status = exception.StatusCode, Title = "Bad request", Detail = exception.Message };
    }

    private static ValidationProblemDetails Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        new(errors) { Status = 400, Title = "One or more fields are invalid.", Detail = detail ?? string.Join(" ", errors.SelectMany(e => e.Value)) };

    /// <summary>"CustomFields" → "customFields": field names as the JSON has them.</summary>
    private static string JsonField(string property) =>
        property.Length == 0 ? "" : JsonNamingPolicy.CamelCase.ConvertName(property);

    /// <summary>"$.contacts[0].amount" → "contacts[0].amount"; "$['a b']" → "a b".</summary>
    private static string JsonPathField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Trim('[', ']', '\'');
    }

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"]+) (?<name>[^"\s]+)" from "(?<value>[^"]*)"\.""")]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in an API call")]
    private partial void LogUnexpected(Exception exception);
}
