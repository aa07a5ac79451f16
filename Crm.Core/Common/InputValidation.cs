using System.ComponentModel.DataAnnotations;

namespace Crm.Core.Common;

/// <summary>
/// Validates an input model with its data annotations (and <see cref="IValidatableObject"/>), the same rules the
/// Blazor forms show inline. Use cases call it so the API and every other caller get identical messages.
/// </summary>
public static class InputValidation
{
    public static IReadOnlyDictionary<string, string[]> Collect(object input)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true);
        return results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: m, Message: r.ErrorMessage ?? "Invalid value.")))
            .GroupBy(x => x.Member)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Message).Distinct().ToArray());
    }

    public static void ThrowIfInvalid(object input) => ThrowIfInvalid(input, WrittenFields.All);

    /// <summary>
    /// Refuses the input for problems of the fields being written (and of the record as a whole): a patch of a job
    /// title is not refused for an older value elsewhere that today's rules would not accept.
    /// </summary>
    public static void ThrowIfInvalid(object input, WrittenFields fields)
    {
        var errors = Collect(input).Where(e => e.Key.Length == 0 || fields.Has(e.Key)).ToDictionary(e => e.Key, e => e.Value);
        if (errors.Count > 0) throw new ValidationFailedException(errors);
    }
}
