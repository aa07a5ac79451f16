using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Crm.Web.Endpoints;

/// <summary>
/// Refuses a route or query value that is not of its optional parameter's type (<c>?page=abc</c>) with the binding
/// error the API's problems name the field from. The compile-time request delegate generator, which spares the app
/// building every endpoint's binding code at start, answers such values of nullable parameters with a bare 400 and
/// no message (it reports only non-nullable ones); this puts the message back, parsing as the generator does.
/// </summary>
public sealed class NullableValueCheck(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Type, Func<string, bool>?> Parsers = new();
    private static readonly MethodInfo ParsesAs = typeof(NullableValueCheck).GetMethod(nameof(Parses), BindingFlags.NonPublic | BindingFlags.Static)!;

    public Task InvokeAsync(HttpContext context)
    {
        var parameters = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IParameterBindingMetadata>() ?? [];
        foreach (var parameter in parameters)
        {
            if (Nullable.GetUnderlyingType(parameter.ParameterInfo.ParameterType) is not { } type || Parser(type) is not { } parses) continue;
            var value = context.Request.RouteValues.TryGetValue(parameter.Name, out var routed)
                ? Convert.ToString(routed, CultureInfo.InvariantCulture)
                : (string?)context.Request.Query[parameter.Name];
            if (!string.IsNullOrEmpty(value) && !parses(value))
                throw new BadHttpRequestException($"Failed to bind parameter \"{type.Name}? {parameter.Name}\" from \"{value}\".");
        }
        return next(context);
    }

    private static Func<string, bool>? Parser(Type type) => Parsers.GetOrAdd(type, t =>
        t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>) && i.GenericTypeArguments[0] == t)
            ? ParsesAs.MakeGenericMethod(t).CreateDelegate<Func<string, bool>>()
            : null);

    private static bool Parses<T>(string value) where T : IParsable<T> => T.TryParse(value, CultureInfo.InvariantCulture, out _);
}
